// Command apitxt prints the exported API of the module's public packages,
// one declaration per line, sorted, in the spirit of the Go project's
// api/*.txt: a record that a reviewer reads in a diff. The compatibility
// check itself is apidiff's (see .ci/api).
//
// Usage, from the module's root: go run ./.ci/apitxt > api/mepkit.txt
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const module = "github.com/mepkit/mepkit"

func main() {
	var lines []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
			name == "testdata" || name == "internal" || name == "examples") {
			return filepath.SkipDir
		}
		pkgLines, err := packageAPI(path)
		if err != nil {
			return err
		}
		lines = append(lines, pkgLines...)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "apitxt:", err)
		os.Exit(1)
	}
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}

func packageAPI(dir string) ([]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pkgs {
		if p.Name == "main" {
			continue
		}
		path := module
		if dir != "." {
			path += "/" + filepath.ToSlash(dir)
		}
		d := doc.New(p, path, 0)
		prefix := "pkg " + path + ", "
		add := func(s string) { out = append(out, prefix+s) }
		values := func(vs []*doc.Value, kw string) {
			for _, v := range vs {
				for _, spec := range v.Decl.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if !n.IsExported() {
							continue
						}
						typ := ""
						if vs.Type != nil {
							typ = " " + node(fset, vs.Type)
						}
						add(kw + " " + n.Name + typ)
					}
				}
			}
		}
		funcs := func(fs []*doc.Func) {
			for _, f := range fs {
				f.Decl.Body = nil
				f.Decl.Doc = nil
				add(oneLine(node(fset, f.Decl)))
			}
		}
		values(d.Consts, "const")
		values(d.Vars, "var")
		funcs(d.Funcs)
		for _, t := range d.Types {
			for _, spec := range t.Decl.Specs {
				ts := spec.(*ast.TypeSpec)
				add(oneLine("type " + ts.Name.Name + typeParams(fset, ts) + " " + typeSummary(fset, ts.Type)))
				if st, ok := ts.Type.(*ast.StructType); ok {
					for _, f := range st.Fields.List {
						for _, n := range f.Names {
							if n.IsExported() {
								add("type " + ts.Name.Name + " struct, " + n.Name + " " + oneLine(node(fset, f.Type)))
							}
						}
						if len(f.Names) == 0 {
							add("type " + ts.Name.Name + " struct, embedded " + oneLine(node(fset, f.Type)))
						}
					}
				}
				if it, ok := ts.Type.(*ast.InterfaceType); ok {
					for _, m := range it.Methods.List {
						if len(m.Names) == 0 {
							add("type " + ts.Name.Name + " interface, embedded " + oneLine(node(fset, m.Type)))
							continue
						}
						for _, n := range m.Names {
							add("type " + ts.Name.Name + " interface, " + n.Name + strings.TrimPrefix(oneLine(node(fset, m.Type)), "func"))
						}
					}
				}
			}
			values(t.Consts, "const")
			values(t.Vars, "var")
			funcs(t.Funcs)
			funcs(t.Methods)
		}
	}
	return out, nil
}

func typeParams(fset *token.FileSet, ts *ast.TypeSpec) string {
	if ts.TypeParams == nil {
		return ""
	}
	return oneLine(node(fset, ts.TypeParams))
}

func typeSummary(fset *token.FileSet, t ast.Expr) string {
	switch t.(type) {
	case *ast.StructType:
		return "struct"
	case *ast.InterfaceType:
		return "interface"
	}
	return node(fset, t)
}

func node(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, n)
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
