package policy

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cy"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ecb"
	"github.com/rickar/cal/v2/ee"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fi"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/hu"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/is"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/ke"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lu"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mt"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/mx"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/pt"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/rs"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/th"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// countryHolidays returns the holidays of rickar/cal/v2 for an upper-case
// code: an ISO 3166-1 country ("FR"), a region where the library has one
// ("DE-BY", "CH-ZH", "AU-NSW"), or "ECB" for the TARGET calendar of the
// European Central Bank.
func countryHolidays(code string) ([]*cal.Holiday, bool) {
	switch code {
	case "AR":
		return ar.Holidays, true
	case "AT":
		return at.Holidays, true
	case "AU-ACT":
		return au.HolidaysACT, true
	case "AU-NSW":
		return au.HolidaysNSW, true
	case "AU-NT":
		return au.HolidaysNT, true
	case "AU-QLD":
		return au.HolidaysQLD, true
	case "AU-SA":
		return au.HolidaysSA, true
	case "AU-TAS":
		return au.HolidaysTAS, true
	case "AU-VIC":
		return au.HolidaysVIC, true
	case "AU-WA":
		return au.HolidaysWA, true
	case "BE":
		return be.Holidays, true
	case "BG":
		return bg.Holidays, true
	case "BR":
		return br.Holidays, true
	case "CA":
		return ca.Holidays, true
	case "CH":
		return ch.Holidays, true
	case "CH-ZH":
		return ch.HolidaysZH, true
	case "CH-BE":
		return ch.HolidaysBE, true
	case "CH-LU":
		return ch.HolidaysLU, true
	case "CH-UR":
		return ch.HolidaysUR, true
	case "CH-SZ":
		return ch.HolidaysSZ, true
	case "CH-OW":
		return ch.HolidaysOW, true
	case "CH-NW":
		return ch.HolidaysNW, true
	case "CH-GL":
		return ch.HolidaysGL, true
	case "CH-ZG":
		return ch.HolidaysZG, true
	case "CH-FR":
		return ch.HolidaysFR, true
	case "CH-SO":
		return ch.HolidaysSO, true
	case "CH-BS":
		return ch.HolidaysBS, true
	case "CH-BL":
		return ch.HolidaysBL, true
	case "CH-SH":
		return ch.HolidaysSH, true
	case "CH-AR":
		return ch.HolidaysAR, true
	case "CH-AI":
		return ch.HolidaysAI, true
	case "CH-SG":
		return ch.HolidaysSG, true
	case "CH-GR":
		return ch.HolidaysGR, true
	case "CH-AG":
		return ch.HolidaysAG, true
	case "CH-TG":
		return ch.HolidaysTG, true
	case "CH-VD":
		return ch.HolidaysVD, true
	case "CH-TI":
		return ch.HolidaysTI, true
	case "CH-VS":
		return ch.HolidaysVS, true
	case "CH-NE":
		return ch.HolidaysNE, true
	case "CH-GE":
		return ch.HolidaysGE, true
	case "CH-JU":
		return ch.HolidaysJU, true
	case "CY":
		return cy.Holidays, true
	case "CZ":
		return cz.Holidays, true
	case "DE":
		return de.Holidays, true
	case "DE-BW":
		return de.HolidaysBW, true
	case "DE-BY":
		return de.HolidaysBY, true
	case "DE-BE":
		return de.HolidaysBE, true
	case "DE-BB":
		return de.HolidaysBB, true
	case "DE-HB":
		return de.HolidaysHB, true
	case "DE-HH":
		return de.HolidaysHH, true
	case "DE-HE":
		return de.HolidaysHE, true
	case "DE-MV":
		return de.HolidaysMV, true
	case "DE-NI":
		return de.HolidaysNI, true
	case "DE-NW":
		return de.HolidaysNW, true
	case "DE-RP":
		return de.HolidaysRP, true
	case "DE-SL":
		return de.HolidaysSL, true
	case "DE-SN":
		return de.HolidaysSN, true
	case "DE-ST":
		return de.HolidaysST, true
	case "DE-SH":
		return de.HolidaysSH, true
	case "DE-TH":
		return de.HolidaysTH, true
	case "DK":
		return dk.Holidays, true
	case "ECB":
		return ecb.Holidays, true
	case "EE":
		return ee.Holidays, true
	case "ES":
		return es.Holidays, true
	case "FI":
		return fi.Holidays, true
	case "FR":
		return fr.Holidays, true
	case "GB":
		return gb.Holidays, true
	case "GR":
		return gr.Holidays, true
	case "HR":
		return hr.Holidays, true
	case "HU":
		return hu.Holidays, true
	case "IE":
		return ie.Holidays, true
	case "IS":
		return is.Holidays, true
	case "IT":
		return it.Holidays, true
	case "JP":
		return jp.Holidays, true
	case "KE":
		return ke.Holidays, true
	case "LT":
		return lt.Holidays, true
	case "LU":
		return lu.Holidays, true
	case "LV":
		return lv.Holidays, true
	case "MT":
		return mt.Holidays, true
	case "MW":
		return mw.Holidays, true
	case "MX":
		return mx.Holidays, true
	case "NC":
		return nc.Holidays, true
	case "NL":
		return nl.Holidays, true
	case "NO":
		return no.Holidays, true
	case "NZ":
		return nz.Holidays, true
	case "PL":
		return pl.Holidays, true
	case "PT":
		return pt.Holidays, true
	case "RO":
		return ro.Holidays, true
	case "RS":
		return rs.Holidays, true
	case "RU":
		return ru.Holidays, true
	case "SE":
		return se.Holidays, true
	case "SI":
		return si.Holidays, true
	case "SK":
		return sk.Holidays, true
	case "TH":
		return th.Holidays, true
	case "UA":
		return ua.Holidays, true
	case "US":
		return us.Holidays, true
	case "ZA":
		return za.Holidays, true
	}
	return nil, false
}

// countryCodes lists the codes countryHolidays knows, sorted.
func countryCodes() []string {
	return []string{
		"AR", "AT", "AU-ACT", "AU-NSW", "AU-NT", "AU-QLD", "AU-SA", "AU-TAS",
		"AU-VIC", "AU-WA", "BE", "BG", "BR", "CA", "CH", "CH-AG", "CH-AI", "CH-AR",
		"CH-BE", "CH-BL", "CH-BS", "CH-FR", "CH-GE", "CH-GL", "CH-GR", "CH-JU",
		"CH-LU", "CH-NE", "CH-NW", "CH-OW", "CH-SG", "CH-SH", "CH-SO", "CH-SZ",
		"CH-TG", "CH-TI", "CH-UR", "CH-VD", "CH-VS", "CH-ZG", "CH-ZH", "CY", "CZ",
		"DE", "DE-BB", "DE-BE", "DE-BW", "DE-BY", "DE-HB", "DE-HE", "DE-HH",
		"DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SH", "DE-SL", "DE-SN", "DE-ST",
		"DE-TH", "DK", "ECB", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
		"IS", "IT", "JP", "KE", "LT", "LU", "LV", "MT", "MW", "MX", "NC", "NL",
		"NO", "NZ", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "TH", "UA",
		"US", "ZA",
	}
}
