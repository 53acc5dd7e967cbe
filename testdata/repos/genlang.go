package repos

import (
	"fmt"
	"strings"
)

// language makes code-like text for one kind of file: whole files, and runs
// of lines to insert at a given indentation. The text repeats what real code
// repeats (braces, blank lines, error checks), which is what makes line
// diffs and line ownership interesting.
type language struct {
	ext   string
	head  func(g *generator) []string                       // first lines of a file
	block func(g *generator) []string                       // one unit: a function, a section...
	stmts func(g *generator, indent string, n int) []string // n lines of body
}

func (l *language) file(g *generator, n int) []string {
	out := l.head(g)
	for len(out) < n {
		out = append(out, l.block(g)...)
	}
	return terminate(out[:max(n, 1)])
}

// lines returns n new lines for an edit at a line indented with indent.
func (l *language) lines(g *generator, n int, indent string) []string {
	if n <= 0 {
		return nil
	}
	return terminate(l.stmts(g, indent, n)[:n])
}

func terminate(lines []string) []string {
	for i, l := range lines {
		lines[i] = l + "\n"
	}
	return lines
}

// pickLanguage maps a percentile to a language, in the proportions of a
// typical business code base.
func pickLanguage(pct int) *language {
	switch {
	case pct < 35:
		return langGo
	case pct < 60:
		return langJava
	case pct < 70:
		return langJS
	case pct < 80:
		return langPython
	case pct < 85:
		return langC
	case pct < 90:
		return langMarkdown
	case pct < 94:
		return langProperties
	case pct < 97:
		return langSQL
	case pct < 99:
		return langYAML
	}
	return langShell
}

func (g *generator) word() string { return g.words[g.rng.IntN(len(g.words))] }

func (g *generator) camel() string {
	w := g.word()
	return w + strings.ToUpper(g.word()[:1]) + g.word()[1:]
}

func (g *generator) pascal() string {
	w := g.camel()
	return strings.ToUpper(w[:1]) + w[1:]
}

// cStyle describes a brace language.
type cStyle struct {
	unit                        string // one level of indentation
	funcHead                    func(g *generator) string
	ifErr, retErr, ret, comment string
	assign, call, forLoop       string // formats taking identifiers
}

func cStatements(st *cStyle) func(g *generator, indent string, n int) []string {
	return func(g *generator, indent string, n int) []string {
		out := make([]string, 0, n+3)
		for len(out) < n {
			switch r := g.rng.IntN(20); {
			case r < 3:
				out = append(out, indent+st.ifErr, indent+st.unit+st.retErr, indent+"}")
			case r < 5:
				out = append(out, indent+fmt.Sprintf(st.forLoop, g.word(), g.word()),
					indent+st.unit+fmt.Sprintf(st.call, g.word(), g.camel(), g.word()), indent+"}")
			case r < 7:
				out = append(out, "")
			case r < 8:
				out = append(out, indent+st.comment+" "+strings.Join(g.sentence(3+g.rng.IntN(6)), " "))
			case r < 13:
				out = append(out, indent+fmt.Sprintf(st.assign, g.word(), g.camel(), g.word(), g.word()))
			default:
				out = append(out, indent+fmt.Sprintf(st.call, g.word(), g.camel(), g.word()))
			}
		}
		return out
	}
}

func cBlock(st *cStyle, indent string) func(g *generator) []string {
	stmts := cStatements(st)
	return func(g *generator) []string {
		out := []string{indent + st.funcHead(g)}
		out = append(out, stmts(g, indent+st.unit, 3+g.rng.IntN(25))...)
		out = append(out, indent+st.unit+st.ret, indent+"}", "")
		return out
	}
}

var goStyle = &cStyle{
	unit: "\t",
	funcHead: func(g *generator) string {
		return fmt.Sprintf("func (s *%s) %s(ctx context.Context, %s string) error {", g.pascal(), g.pascal(), g.word())
	},
	ifErr: "if err != nil {", retErr: "return err", ret: "return nil", comment: "//",
	assign: "%s := %s(%s, %s)", call: "%s.%s(%s)", forLoop: "for _, %s := range %s {",
}

var javaStyle = &cStyle{
	unit: "    ",
	funcHead: func(g *generator) string {
		return fmt.Sprintf("public %s %s(%s %s) {", g.pascal(), g.camel(), g.pascal(), g.word())
	},
	ifErr: "if (result == null) {", retErr: "return null;", ret: "return result;", comment: "//",
	assign: "final var %s = %s(%s, %s);", call: "%s.%s(%s);", forLoop: "for (var %s : %s) {",
}

var jsStyle = &cStyle{
	unit: "  ",
	funcHead: func(g *generator) string {
		return fmt.Sprintf("export async function %s(%s, %s) {", g.camel(), g.word(), g.word())
	},
	ifErr: "if (!res.ok) {", retErr: "throw new Error(res.statusText);", ret: "return res;", comment: "//",
	assign: "const %s = await %s(%s, %s);", call: "%s.%s(%s);", forLoop: "for (const %s of %s) {",
}

var cLangStyle = &cStyle{
	unit: "\t",
	funcHead: func(g *generator) string {
		return fmt.Sprintf("static int %s_%s(struct %s *%s) {", g.word(), g.word(), g.word(), g.word())
	},
	ifErr: "if (ret < 0) {", retErr: "return ret;", ret: "return 0;", comment: "/*",
	assign: "%s = %s(%s, %s);", call: "%s_%s(%s);", forLoop: "for (%s = 0; %s; i++) {",
}

var (
	langGo = &language{ext: ".go", block: cBlock(goStyle, ""), stmts: cStatements(goStyle),
		head: func(g *generator) []string {
			return []string{"package " + g.word(), "", "import (", "\t\"context\"", "\t\"fmt\"", ")", ""}
		}}
	langJava = &language{ext: ".java", block: cBlock(javaStyle, "    "), stmts: cStatements(javaStyle),
		head: func(g *generator) []string {
			return []string{"package com.example." + g.word() + ";", "", "import java.util.List;", "",
				"public class " + g.pascal() + " {", ""}
		}}
	langJS = &language{ext: ".js", block: cBlock(jsStyle, ""), stmts: cStatements(jsStyle),
		head: func(g *generator) []string {
			return []string{"'use strict';", "", "import { " + g.camel() + " } from './" + g.word() + ".js';", ""}
		}}
	langC = &language{ext: ".c", block: cBlock(cLangStyle, ""), stmts: cStatements(cLangStyle),
		head: func(g *generator) []string {
			return []string{"#include <stdio.h>", "#include \"" + g.word() + ".h\"", ""}
		}}
	langPython = &language{ext: ".py",
		head: func(g *generator) []string {
			return []string{"import os", "import logging", "", "log = logging.getLogger(__name__)", "", ""}
		},
		block: func(g *generator) []string {
			out := []string{fmt.Sprintf("def %s_%s(%s, %s):", g.word(), g.word(), g.word(), g.word())}
			out = append(out, pyStatements(g, "    ", 3+g.rng.IntN(20))...)
			return append(out, "    return None", "", "")
		},
		stmts: pyStatements}
	langMarkdown = &language{ext: ".md",
		head: func(g *generator) []string { return []string{"# " + g.pascal(), ""} },
		block: func(g *generator) []string {
			out := []string{"## " + strings.Join(g.sentence(2+g.rng.IntN(3)), " "), ""}
			for i := 1 + g.rng.IntN(6); i > 0; i-- {
				out = append(out, strings.Join(g.sentence(6+g.rng.IntN(10)), " ")+".")
			}
			return append(out, "")
		},
		stmts: func(g *generator, _ string, n int) []string {
			out := make([]string, n)
			for i := range out {
				out[i] = strings.Join(g.sentence(5+g.rng.IntN(10)), " ") + "."
			}
			return out
		}}
	langProperties = &language{ext: ".properties",
		head:  func(g *generator) []string { return []string{"# " + strings.Join(g.sentence(4), " ")} },
		block: func(g *generator) []string { return append(propLines(g, "", 4+g.rng.IntN(10)), "") },
		stmts: propLines}
	langSQL = &language{ext: ".sql",
		head: func(g *generator) []string { return []string{"-- " + strings.Join(g.sentence(5), " "), ""} },
		block: func(g *generator) []string {
			out := []string{"CREATE TABLE " + g.word() + "_" + g.word() + " ("}
			out = append(out, sqlColumns(g, "    ", 2+g.rng.IntN(10))...)
			return append(out, "    id VARCHAR(36) PRIMARY KEY", ");", "")
		},
		stmts: sqlColumns}
	langYAML = &language{ext: ".yaml",
		head: func(g *generator) []string { return []string{"# " + strings.Join(g.sentence(4), " ")} },
		block: func(g *generator) []string {
			return append([]string{g.word() + ":"}, yamlLines(g, "  ", 3+g.rng.IntN(8))...)
		},
		stmts: yamlLines}
	langShell = &language{ext: ".sh",
		head: func(g *generator) []string { return []string{"#!/bin/sh", "set -e", ""} },
		block: func(g *generator) []string {
			out := []string{g.word() + "() {"}
			out = append(out, shLines(g, "\t", 2+g.rng.IntN(8))...)
			return append(out, "}", "")
		},
		stmts: shLines}
)

func pyStatements(g *generator, indent string, n int) []string {
	out := make([]string, 0, n+2)
	for len(out) < n {
		switch r := g.rng.IntN(10); {
		case r < 2:
			out = append(out, indent+"if "+g.word()+" is None:", indent+"    return None")
		case r < 3:
			out = append(out, "")
		case r < 4:
			out = append(out, indent+"# "+strings.Join(g.sentence(4), " "))
		default:
			out = append(out, fmt.Sprintf("%s%s = %s(%s)", indent, g.word(), g.word(), g.word()))
		}
	}
	return out
}

func propLines(g *generator, _ string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.word() + "." + g.word() + "=" + strings.Join(g.sentence(1+g.rng.IntN(5)), " ")
	}
	return out
}

func sqlColumns(g *generator, indent string, n int) []string {
	types := []string{"VARCHAR(36) NOT NULL,", "INTEGER,", "NUMERIC(10, 2) NOT NULL,", "TIMESTAMP,", "BOOLEAN DEFAULT FALSE,"}
	out := make([]string, n)
	for i := range out {
		out[i] = indent + g.word() + "_" + g.word() + " " + types[g.rng.IntN(len(types))]
	}
	return out
}

func yamlLines(g *generator, indent string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = indent + g.word() + ": " + g.word()
	}
	return out
}

func shLines(g *generator, indent string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = indent + g.word() + " --" + g.word() + " \"$" + strings.ToUpper(g.word()) + "\""
	}
	return out
}
