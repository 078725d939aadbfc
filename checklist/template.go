package checklist

import "time"

// The templates below return lists built from the method. Each call
// returns a new List that the caller owns: copy it, rename it, drop and
// add items, then save it with [List.MarshalJSON] or yaml.Marshal to keep
// it as a file. Owners are roles ("build", "validation", "ops", "mco",
// "client", "lead"); replace them with people. Each template is valid and
// lint-free, and gives its [Purpose] to the items its rule asks for, so
// that [List.Missing] finds none missing: keep it on the items you adapt.

// Validation returns a starting point for the validation phase (rule R4):
// the industrial team tests the deliverables and the installation
// procedures, the last link before the contractual delivery, offline and
// under real conditions where possible. Items marked Offline are meant to
// run without network access. The list is DO-CONFIRM: checks run in any
// order, dependencies aside. No deadlines: validation comes well before T0.
// The procedure written and the installation, upgrade and rollback that
// follow it are [InstallProcedure] items.
func Validation() List {
	return List{
		Name: "validation",
		Mode: DoConfirm,
		Items: []Item{
			{ID: "deliverables-inventory", Section: "deliverables", Owner: "validation",
				Title: "Deliverables received match the delivery note (versions, checksums)"},
			{ID: "deliverables-tests", Section: "deliverables", Owner: "validation",
				Title: "Functional tests of the deliverables pass", DependsOn: []string{"deliverables-inventory"}},
			{ID: "release-notes", Section: "deliverables", Owner: "build",
				Title: "Release notes and known limitations written"},

			{ID: "install-procedure", Section: "installation procedures", Owner: "build", Purpose: InstallProcedure,
				Title: "Installation procedure written step by step, with expected durations"},
			{ID: "install-from-scratch", Section: "installation procedures", Owner: "validation", Offline: true, Purpose: InstallProcedure,
				Title:     "Installation on a clean environment, following the procedure to the letter",
				DependsOn: []string{"install-procedure", "deliverables-inventory"}},
			{ID: "upgrade-procedure", Section: "installation procedures", Owner: "validation", Offline: true, Purpose: InstallProcedure,
				Title:     "Upgrade from the version in production, following the procedure",
				DependsOn: []string{"install-procedure"}},
			{ID: "rollback-procedure", Section: "installation procedures", Owner: "validation", Offline: true, Purpose: InstallProcedure,
				Title:     "Rollback to the version in production tested and timed",
				DependsOn: []string{"upgrade-procedure"}},
			{ID: "procedure-fixes", Section: "installation procedures", Owner: "build",
				Title:     "Every deviation found while following the procedures fixed in them",
				DependsOn: []string{"install-from-scratch", "upgrade-procedure", "rollback-procedure"}},

			{ID: "offline-install", Section: "conditions", Owner: "validation", Offline: true,
				Title:     "Installation works with no network access (offline mode)",
				DependsOn: []string{"install-from-scratch"}},
			{ID: "real-conditions", Section: "conditions", Owner: "validation",
				Title:     "Installation confronted with the client's reality: real environment, data volume, access rights",
				DependsOn: []string{"install-from-scratch"}},
			{ID: "client-constraints", Section: "conditions", Owner: "client", Optional: true,
				Title: "Client's technical constraints (network, security, hosting) checked with the client"},
		},
	}
}

// Preparation returns a starting point for the preparation phase (rules
// R7 and R8): hardware prepared on the client site and verified, old and
// new, against the checklist; client configurations retrieved, adapted
// and every impacted one backed up; the client environment ready to
// receive the change. Every item is due one hour before T0 (-1h, the
// readiness window). The list is READ-DO and ordered: within a section,
// items are done in order. The old and new hardware verified are
// [HardwareVerified] items, the backup of the impacted configurations a
// [ConfigBackup] one; the backup of other environments, optional since
// not every go-live has them, is a general item, so that waiving it does
// not leave R8 unmet.
func Preparation() List {
	const due = -time.Hour
	return List{
		Name:    "preparation",
		Mode:    ReadDo,
		Ordered: true,
		Items: []Item{
			{ID: "old-hardware-verified", Section: "hardware", Owner: "ops", Deadline: due, Purpose: HardwareVerified,
				Title: "Old hardware verified against the checklist (inventory, state, access)"},
			{ID: "new-hardware-installed", Section: "hardware", Owner: "ops", Deadline: due, Offline: true,
				Title: "New hardware installed on the client site, offline where possible"},
			{ID: "new-hardware-verified", Section: "hardware", Owner: "ops", Deadline: due, Purpose: HardwareVerified,
				Title: "New hardware verified against the checklist (inventory, firmware, cabling)"},

			{ID: "config-retrieved", Section: "configuration", Owner: "build", Deadline: due,
				Title: "Client configurations retrieved"},
			{ID: "config-adapted", Section: "configuration", Owner: "build", Deadline: due,
				Title: "Client configurations adapted to the new version"},
			{ID: "config-backup", Section: "configuration", Owner: "ops", Deadline: due, Purpose: ConfigBackup,
				Title:     "Every impacted configuration backed up, and where the backup is recorded",
				DependsOn: []string{"config-retrieved"}},
			{ID: "other-env-backup", Section: "configuration", Owner: "ops", Deadline: due, Optional: true,
				Title: "Other impacted environments backed up"},

			{ID: "client-env-ready", Section: "client environment", Owner: "client", Deadline: due,
				Title:     "Client environment ready to receive the change without impact",
				DependsOn: []string{"config-adapted"}},
			{ID: "access-ready", Section: "client environment", Owner: "ops", Deadline: due,
				Title: "Access for the go-live team tested (accounts, VPN, badges)"},
			{ID: "rollback-ready", Section: "client environment", Owner: "ops", Deadline: due,
				Title:     "Rollback means in place: previous version and backups at hand",
				DependsOn: []string{"config-backup", "old-hardware-verified"}},
			{ID: "runbook-printed", Section: "client environment", Owner: "lead", Deadline: due, Optional: true,
				Title: "Cutover runbook at hand for everyone, with contacts"},
		},
	}
}

// Operations returns a starting point for operations readiness (rule
// R13): before the first go-live, operational and technical probes, a
// backup process, and a record of known recurring failures exist, and the
// operations (MCO) team is part of the go-live. The list is DO-CONFIRM, with
// no deadlines: readiness is checked before the go/no-go. The technical and
// operational probes are [Probes] items, the backup process and its
// restore test [BackupProcess] items, the record of recurring failures a
// [KnownFailures] item.
func Operations() List {
	return List{
		Name: "operations",
		Mode: DoConfirm,
		Items: []Item{
			{ID: "technical-probes", Section: "probes", Owner: "mco", Purpose: Probes,
				Title: "Technical probes in place (hosts, services, disks, certificates)"},
			{ID: "operational-probes", Section: "probes", Owner: "mco", Purpose: Probes,
				Title: "Operational probes in place (the business flows users depend on)"},
			{ID: "alerts-routed", Section: "probes", Owner: "mco",
				Title:     "Alerts reach the on-call people, tested end to end",
				DependsOn: []string{"technical-probes", "operational-probes"}},

			{ID: "backup-process", Section: "backups", Owner: "mco", Purpose: BackupProcess,
				Title: "Backup process defined and scheduled (what, how often, kept how long)"},
			{ID: "restore-tested", Section: "backups", Owner: "mco", Purpose: BackupProcess,
				Title: "A restore from backup tested and timed", DependsOn: []string{"backup-process"}},

			{ID: "recurring-failures", Section: "knowledge", Owner: "build", Purpose: KnownFailures,
				Title: "Known recurring failures documented, with their fix"},
			{ID: "operating-manual", Section: "knowledge", Owner: "build",
				Title: "Operating manual handed over to the operations team"},

			{ID: "mco-in-golive", Section: "team", Owner: "lead",
				Title: "Operations (MCO) people are part of the go-live team"},
			{ID: "builder-contact", Section: "team", Owner: "lead",
				Title: "A builder named as the operations team's contact"},
		},
	}
}
