package oauth2cc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFetchToken runs FetchToken against a token endpoint built from
// Authenticate and NewToken: a known client with a secret that needs
// form-urlencoding gets the token the endpoint issued; a wrong secret and
// an answer without a token are errors.
func TestFetchToken(t *testing.T) {
	clients := map[string]string{"audit:or": "p w&d%"}
	var issued string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			WriteError(w, "test", http.StatusBadRequest, "invalid_request", "want grant_type=client_credentials")
			return
		}
		if _, desc, ok := Authenticate(r, clients); !ok {
			WriteError(w, "test", http.StatusUnauthorized, "invalid_client", desc)
			return
		}
		issued, _ = NewToken()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"` + issued + `","token_type":"bearer"}`))
	})
	mux.HandleFunc("POST /empty", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"token_type":"bearer"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	tok, err := FetchToken(ctx, srv.Client(), srv.URL+"/token", "audit:or", "p w&d%")
	if err != nil || tok == "" || tok != issued {
		t.Fatalf("FetchToken = %q, %v; want the issued token %q", tok, err, issued)
	}
	if _, err := FetchToken(ctx, srv.Client(), srv.URL+"/token", "audit:or", "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong secret: %v, want an error with 401", err)
	}
	if _, err := FetchToken(ctx, srv.Client(), srv.URL+"/empty", "audit:or", "p w&d%"); err == nil || !strings.Contains(err.Error(), "no access_token") {
		t.Errorf("answer without a token: %v, want no access_token", err)
	}
}
