package devserver

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/api/operatorservice/v1"

	"github.com/sillage/sillage/workflows"
)

func TestStartRegistersSearchAttributes(t *testing.T) {
	s, err := Start(context.Background(), Options{Namespace: "sillage-test"})
	if errors.Is(err, ErrNoCLI) {
		t.Skip("skipping: ", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if s.UIURL == "" {
		t.Error("no UI URL")
	}
	c, err := s.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, err := c.OperatorService().ListSearchAttributes(context.Background(),
		&operatorservice.ListSearchAttributesRequest{Namespace: s.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range workflows.SearchAttributes {
		if got, ok := resp.CustomAttributes[a.Name]; !ok || got != a.Type {
			t.Errorf("search attribute %s: %v (registered %v), want %v", a.Name, got, ok, a.Type)
		}
	}
}
