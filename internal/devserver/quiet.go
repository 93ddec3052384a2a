package devserver

import (
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/log"
)

// quiet is a Temporal logger that drops everything but errors... and
// drops those too: readiness polling fails by design until the server is
// up.
type quiet struct{}

func (quiet) Debug(string, ...any)     {}
func (quiet) Info(string, ...any)      {}
func (quiet) Warn(string, ...any)      {}
func (quiet) Error(string, ...any)     {}
func (q quiet) With(...any) log.Logger { return q }

func describe(ns string) *workflowservice.DescribeNamespaceRequest {
	return &workflowservice.DescribeNamespaceRequest{Namespace: ns}
}
