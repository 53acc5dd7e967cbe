package deps

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	revertsRE = regexp.MustCompile(`(?m)This reverts commit ([0-9a-fA-F]{7,40})\b`)
	revertRE  = regexp.MustCompile(`^Revert "(.+)"$`)
	fixupRE   = regexp.MustCompile(`^(fixup|squash|amend)! `)
)

// messageEdges binds reverts to what they revert and fixup!/squash!/amend!
// commits to their target, as git rebase --autosquash would.
func (b *builder) messageEdges() {
	for i, c := range b.g.Commits {
		if !mayBindByMessage(c.Message, c.Subject) {
			continue
		}
		from := int32(i)
		if m := revertsRE.FindStringSubmatch(c.Message); m != nil {
			if to, ok := b.byPrefix(m[1], i); ok {
				b.add(from, to, Revert, "", noLines, strings.TrimSpace(m[0])+".")
			} else {
				b.g.Notes = append(b.g.Notes, fmt.Sprintf("%s reverts commit %s, which is not an earlier commit of the range", c.Short(), m[1]))
			}
			continue
		}
		if m := revertRE.FindStringSubmatch(c.Subject); m != nil {
			if to, ok := b.bySubject(m[1], i, false); ok {
				b.add(from, to, Revert, "", noLines, c.Subject)
			}
			continue
		}
		if fixupRE.MatchString(c.Subject) {
			target := c.Subject
			for fixupRE.MatchString(target) {
				target = fixupRE.ReplaceAllString(target, "")
			}
			to, ok := b.bySubject(target, i, false)
			if !ok && !strings.Contains(target, " ") {
				to, ok = b.byPrefix(target, i)
			}
			if !ok {
				to, ok = b.bySubject(target, i, true)
			}
			if ok {
				b.add(from, to, Revert, "", noLines, c.Subject)
			} else {
				b.g.Notes = append(b.g.Notes, fmt.Sprintf("%s (%s) names no earlier commit of the range", c.Short(), c.Subject))
			}
		}
	}
}

// mayBindByMessage rules out, without a regular expression, the messages
// none of messageEdges' expressions can match (nearly all of them).
func mayBindByMessage(message, subject string) bool {
	return strings.Contains(message, "This reverts commit ") || strings.HasPrefix(subject, `Revert "`) ||
		strings.HasPrefix(subject, "fixup! ") || strings.HasPrefix(subject, "squash! ") || strings.HasPrefix(subject, "amend! ")
}

// byPrefix finds the earlier commit whose SHA starts with prefix.
func (b *builder) byPrefix(prefix string, before int) (int32, bool) {
	if len(prefix) < 4 {
		return 0, false
	}
	prefix = strings.ToLower(prefix)
	found := int32(-1)
	for j := 0; j < before; j++ {
		if strings.HasPrefix(b.g.Commits[j].Hash.String(), prefix) {
			if found >= 0 {
				return 0, false // ambiguous
			}
			found = int32(j)
		}
	}
	return found, found >= 0
}

// bySubject finds the oldest earlier commit with that subject (or one
// starting with it), as autosquash picks its target.
func (b *builder) bySubject(subject string, before int, prefix bool) (int32, bool) {
	for j := 0; j < before; j++ {
		s := b.g.Commits[j].Subject
		if s == subject || prefix && strings.HasPrefix(s, subject) {
			return int32(j), true
		}
	}
	return 0, false
}
