package apply

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
)

// git's merge driver for a path comes from its "merge" attribute: set is the
// text merge, unset (-merge, or the binary macro) the binary one (a
// conflict whenever both sides changed), union keeps both sides' lines, and
// any other name is a driver from the config. During a cherry-pick git reads
// the .gitattributes files of its working tree, which holds the branch being
// built, plus $GIT_DIR/info/attributes and core.attributesFile.

type attrValue struct {
	state int // attrUnknown, attrSet, attrUnset, attrUnspecified, attrValueSet
	value string
}

const (
	attrUnknown = iota
	attrSet
	attrUnset
	attrUnspecified
	attrValueSet
)

type attrAssign struct {
	name string
	val  attrValue
}

type attrRule struct {
	pattern string
	nodir   bool // no '/' in the pattern: match the basename
	assigns []attrAssign
}

type attrFile struct {
	dir    string // directory the patterns are relative to ("" for the root or global files)
	rules  []attrRule
	macros map[string][]attrAssign
}

// builtinMacros is git's built-in "binary" macro.
var builtinMacros = map[string][]attrAssign{
	"binary": {{"diff", attrValue{state: attrUnset}}, {"merge", attrValue{state: attrUnset}}, {"text", attrValue{state: attrUnset}}},
}

func parseAttrFile(dir string, data []byte, allowMacros bool) *attrFile {
	f := &attrFile{dir: dir, macros: map[string][]attrAssign{}}
	for _, line := range bytes.Split(data, []byte("\n")) {
		fields := strings.Fields(strings.TrimRight(string(line), "\r"))
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		pattern := fields[0]
		var assigns []attrAssign
		for _, a := range fields[1:] {
			switch {
			case strings.HasPrefix(a, "-"):
				assigns = append(assigns, attrAssign{a[1:], attrValue{state: attrUnset}})
			case strings.HasPrefix(a, "!"):
				assigns = append(assigns, attrAssign{a[1:], attrValue{state: attrUnspecified}})
			case strings.Contains(a, "="):
				i := strings.IndexByte(a, '=')
				assigns = append(assigns, attrAssign{a[:i], attrValue{state: attrValueSet, value: a[i+1:]}})
			default:
				assigns = append(assigns, attrAssign{a, attrValue{state: attrSet}})
			}
		}
		if strings.HasPrefix(pattern, "[attr]") {
			if allowMacros {
				f.macros[strings.TrimPrefix(pattern, "[attr]")] = assigns
			}
			continue
		}
		if strings.HasPrefix(pattern, "!") || strings.HasSuffix(pattern, "/") {
			continue // negative patterns are ignored; directory-only ones never match a file
		}
		if strings.HasPrefix(pattern, `\`) {
			pattern = pattern[1:]
		}
		nodir := !strings.Contains(pattern, "/")
		f.rules = append(f.rules, attrRule{pattern: strings.TrimPrefix(pattern, "/"), nodir: nodir, assigns: assigns})
	}
	return f
}

func (r attrRule) matches(path, dir string) bool {
	if r.nodir {
		ok, _ := doublestar.Match(r.pattern, basename(path))
		return ok
	}
	rel := path
	if dir != "" {
		if !strings.HasPrefix(path, dir+"/") {
			return false
		}
		rel = path[len(dir)+1:]
	}
	ok, _ := doublestar.Match(r.pattern, rel)
	return ok
}

// attrEnv is what a merge reads besides the trees, once per Apply: the
// attribute files outside the tree and the merge settings of the config.
type attrEnv struct {
	outer  []*attrFile
	info   *attrFile
	config *mergeDriverConfig
	// dirRenames is merge.directoryRenames: dirRenamesConflict (git's
	// default), dirRenamesTrue or dirRenamesNone.
	dirRenames int
	// renameLimit is merge.renameLimit (else diff.renameLimit); 0: 7000.
	renameLimit int
}

const (
	dirRenamesConflict = iota
	dirRenamesTrue
	dirRenamesNone
)

func newAttrEnv(repo storage.Storer) *attrEnv {
	outer, info, cfg := loadAttrEnvironment(repo)
	e := &attrEnv{outer: outer, info: info, config: cfg}
	var scopes []*config.Config
	if g, err := config.LoadConfig(config.GlobalScope); err == nil {
		scopes = append(scopes, g)
	}
	if c, err := repo.Config(); err == nil {
		scopes = append(scopes, c)
	}
	for _, c := range scopes { // the repository's config wins
		if v, err := strconv.Atoi(c.Raw.Section("diff").Option("renamelimit")); err == nil {
			e.renameLimit = v
		}
	}
	for _, c := range scopes {
		m := c.Raw.Section("merge")
		if v, err := strconv.Atoi(m.Option("renamelimit")); err == nil {
			e.renameLimit = v
		}
		if m.HasOption("directoryrenames") || m.HasOption("directoryRenames") {
			v := strings.ToLower(m.Option("directoryrenames"))
			switch v {
			case "true", "yes", "on", "1":
				e.dirRenames = dirRenamesTrue
			case "false", "no", "off", "0", "":
				e.dirRenames = dirRenamesNone
			case "conflict":
				e.dirRenames = dirRenamesConflict
			}
		}
	}
	return e
}

// source gives the attributes of the paths of tree (nil env: none).
func (e *attrEnv) source(st *objStore, tree plumbing.Hash) *attrSource {
	if e == nil {
		return nil
	}
	return &attrSource{st: st, tree: tree, outer: e.outer, info: e.info, config: e.config, cache: map[string]*attrFile{}}
}

// attrSource finds attributes for the paths of one tree.
type attrSource struct {
	st     *objStore
	tree   plumbing.Hash
	outer  []*attrFile // global (lowest precedence) ...
	info   *attrFile   // $GIT_DIR/info/attributes (highest)
	cache  map[string]*attrFile
	config *mergeDriverConfig
}

// mergeDriverConfig is merge.default and the merge.<name>.driver names.
type mergeDriverConfig struct {
	defaultDriver string
	drivers       map[string]bool
}

// loadAttrEnvironment reads what does not change between picks: the
// global and info attribute files and the merge driver config.
func loadAttrEnvironment(repo storage.Storer) (outer []*attrFile, info *attrFile, cfg *mergeDriverConfig) {
	cfg = &mergeDriverConfig{drivers: map[string]bool{}}
	var attributesFile string
	var scopes []*config.Config
	if g, err := config.LoadConfig(config.GlobalScope); err == nil {
		scopes = append(scopes, g)
	}
	if c, err := repo.Config(); err == nil {
		scopes = append(scopes, c)
	}
	for _, c := range scopes { // later scopes win
		if v := c.Raw.Section("core").Option("attributesfile"); v != "" {
			attributesFile = v
		}
		m := c.Raw.Section("merge")
		if v := m.Option("default"); v != "" {
			cfg.defaultDriver = v
		}
		for _, sub := range m.Subsections {
			if sub.Option("driver") != "" {
				cfg.drivers[sub.Name] = true
			}
		}
	}
	if attributesFile == "" {
		if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
			attributesFile = filepath.Join(x, "git", "attributes")
		} else if h, err := os.UserHomeDir(); err == nil {
			attributesFile = filepath.Join(h, ".config", "git", "attributes")
		}
	} else if strings.HasPrefix(attributesFile, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			attributesFile = filepath.Join(h, attributesFile[2:])
		}
	}
	if attributesFile != "" {
		if b, err := os.ReadFile(attributesFile); err == nil {
			outer = append(outer, parseAttrFile("", b, true))
		}
	}
	if fs, ok := repo.(interface{ Filesystem() billy.Filesystem }); ok {
		if f, err := fs.Filesystem().Open("info/attributes"); err == nil {
			var buf bytes.Buffer
			buf.ReadFrom(f)
			f.Close()
			info = parseAttrFile("", buf.Bytes(), true)
		}
	}
	return outer, info, cfg
}

// file returns the parsed .gitattributes of a directory of the tree.
func (a *attrSource) file(dir string) *attrFile {
	if f, ok := a.cache[dir]; ok {
		return f
	}
	var f *attrFile
	if h, ok := a.lookup(dir); ok {
		if data, err := a.st.blob(h); err == nil {
			f = parseAttrFile(dir, data, dir == "")
		}
	}
	a.cache[dir] = f
	return f
}

// lookup finds dir/.gitattributes in the tree (a regular file only).
func (a *attrSource) lookup(dir string) (plumbing.Hash, bool) {
	h := a.tree
	if dir != "" {
		for _, part := range strings.Split(dir, "/") {
			entries, err := a.st.tree(h)
			if err != nil {
				return plumbing.ZeroHash, false
			}
			found := false
			for _, e := range entries {
				if e.name == part && isDir(e.mode) {
					h, found = e.hash, true
					break
				}
			}
			if !found {
				return plumbing.ZeroHash, false
			}
		}
	}
	entries, err := a.st.tree(h)
	if err != nil {
		return plumbing.ZeroHash, false
	}
	for _, e := range entries {
		if e.name == ".gitattributes" && isReg(e.mode) {
			return e.hash, true
		}
	}
	return plumbing.ZeroHash, false
}

// attr returns an attribute of path: the most specific file first, the
// last matching line of a file first, macros expanded where set.
func (a *attrSource) attr(path, name string) attrValue {
	stack := []*attrFile{a.info}
	dir := dirname(path)
	for d := dir; ; d = dirname(d) {
		stack = append(stack, a.file(d))
		if d == "" {
			break
		}
	}
	for i := len(a.outer) - 1; i >= 0; i-- {
		stack = append(stack, a.outer[i])
	}
	macros := map[string][]attrAssign{}
	for _, f := range []*attrFile{a.info, a.file("")} {
		if f != nil {
			for k, v := range f.macros {
				if _, ok := macros[k]; !ok {
					macros[k] = v
				}
			}
		}
	}
	for _, f := range a.outer {
		for k, v := range f.macros {
			if _, ok := macros[k]; !ok {
				macros[k] = v
			}
		}
	}
	for k, v := range builtinMacros {
		if _, ok := macros[k]; !ok {
			macros[k] = v
		}
	}
	got := map[string]attrValue{}
	var fill func(assigns []attrAssign)
	fill = func(assigns []attrAssign) {
		for i := len(assigns) - 1; i >= 0; i-- {
			as := assigns[i]
			if _, ok := got[as.name]; ok {
				continue
			}
			got[as.name] = as.val
			if m, ok := macros[as.name]; ok && as.val.state == attrSet {
				fill(m)
			}
		}
	}
	for _, f := range stack {
		if f == nil {
			continue
		}
		for i := len(f.rules) - 1; i >= 0; i-- {
			if f.rules[i].matches(path, f.dir) {
				fill(f.rules[i].assigns)
			}
		}
		if v, ok := got[name]; ok {
			return v
		}
	}
	return attrValue{state: attrUnspecified}
}

// mergeDriver is find_ll_merge_driver: "text", "binary", "union", or the
// name of a driver from the config.
func (a *attrSource) mergeDriver(path string) string {
	v := a.attr(path, "merge")
	name := ""
	switch v.state {
	case attrSet:
		return "text"
	case attrUnset:
		return "binary"
	case attrUnspecified, attrUnknown:
		if a.config.defaultDriver == "" {
			return "text"
		}
		name = a.config.defaultDriver
	default:
		name = v.value
	}
	if a.config.drivers[name] {
		return name
	}
	switch name {
	case "binary", "text", "union":
		return name
	}
	return "text"
}
