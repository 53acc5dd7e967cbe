// Package config loads .triage.yaml: ticket patterns and exports, ordered class rules,
// plan defaults and the gate policy, validated at load so that every error names its line.
package config
