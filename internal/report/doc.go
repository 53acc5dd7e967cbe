// Package report renders what a command found, as a table, CSV, JSON or
// markdown: commands build one Document and pick a Printer; no format logic lives elsewhere.
package report
