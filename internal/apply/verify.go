package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
)

// VerifyResult is the outcome of a --verify command.
type VerifyResult struct {
	Command    string `json:"command"`
	ExitCode   int    `json:"exit_code"`
	OutputTail string `json:"output_tail"` // the last lines of stdout and stderr, interleaved
}

// verifyTailLines is how much of the command's output is kept.
const verifyTailLines = 40

// Verify checks tree out into a new temporary directory (files, modes,
// symlinks; submodules as empty directories), runs command there with
// `sh -c`, and removes the directory. A command that runs and fails is not
// an error: its exit code says so.
func Verify(ctx context.Context, repo storage.Storer, tree plumbing.Hash, command string) (*VerifyResult, error) {
	dir, err := os.MkdirTemp("", "triage-verify-")
	if err != nil {
		return nil, fmt.Errorf("verify: create a temporary directory: %w", err)
	}
	res, err := verifyIn(ctx, newObjStore(repo), tree, dir, command)
	if rmErr := removeAll(dir); rmErr != nil && err == nil {
		err = fmt.Errorf("verify: remove %s: %w (remove it by hand)", dir, rmErr)
	}
	return res, err
}

func verifyIn(ctx context.Context, st *objStore, tree plumbing.Hash, dir, command string) (*VerifyResult, error) {
	if err := checkout(st, tree, dir); err != nil {
		return nil, fmt.Errorf("verify: check out %s into %s: %w", shortHash(tree), dir, err)
	}
	tail := &tailWriter{max: verifyTailLines}
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = tail, tail
	err := cmd.Run()
	res := &VerifyResult{Command: command, OutputTail: tail.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.ExitCode = ee.ExitCode()
		if res.ExitCode < 0 { // killed by a signal (or the context)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("verify: %q interrupted: %w", command, ctx.Err())
			}
			res.ExitCode = 128 + 9
		}
	default:
		return nil, fmt.Errorf("verify: cannot run %q with sh: %w", command, err)
	}
	return res, nil
}

// checkout writes the files of tree under dir.
func checkout(st *objStore, tree plumbing.Hash, dir string) error {
	entries, err := st.tree(tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.name == "" || e.name == "." || e.name == ".." || strings.ContainsAny(e.name, "/\x00") || strings.EqualFold(e.name, ".git") {
			return fmt.Errorf("refusing to check out the unsafe path %q", e.name)
		}
		p := filepath.Join(dir, e.name)
		switch {
		case isDir(e.mode):
			if err := os.Mkdir(p, 0o755); err != nil {
				return err
			}
			if err := checkout(st, e.hash, p); err != nil {
				return err
			}
		case isGitlink(e.mode):
			if err := os.Mkdir(p, 0o755); err != nil {
				return err
			}
		case isLink(e.mode):
			target, err := st.blob(e.hash)
			if err != nil {
				return err
			}
			if err := os.Symlink(string(target), p); err != nil {
				return err
			}
		default:
			data, err := st.blob(e.hash)
			if err != nil {
				return err
			}
			perm := os.FileMode(0o644)
			if e.mode == modeExec {
				perm = 0o755
			}
			if err := os.WriteFile(p, data, perm); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeAll removes dir even if the command left read-only directories.
func removeAll(dir string) error {
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	return os.RemoveAll(dir)
}

// tailWriter keeps the last max lines written to it.
type tailWriter struct {
	max   int
	lines [][]byte
	part  []byte
}

func (w *tailWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.part = append(w.part, p...)
			break
		}
		w.lines = append(w.lines, append(w.part, p[:i+1]...))
		w.part = nil
		if len(w.lines) > w.max {
			w.lines = w.lines[len(w.lines)-w.max:]
		}
		p = p[i+1:]
	}
	return n, nil
}

func (w *tailWriter) String() string {
	lines := w.lines
	if len(w.part) > 0 {
		lines = append(lines, w.part)
		if len(lines) > w.max {
			lines = lines[len(lines)-w.max:]
		}
	}
	return string(bytes.Join(lines, nil))
}
