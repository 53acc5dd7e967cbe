// Package gate checks a release branch against the gate policy of .triage.yaml (tickets, allowed
// classes, source branch, dependency safety, risk), purely over plain inputs, and reports every violation with its fix.
package gate
