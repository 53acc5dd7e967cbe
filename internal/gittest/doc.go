// Package gittest holds helpers for tests: the story built once per process,
// the git binary run in an isolated environment.
package gittest
