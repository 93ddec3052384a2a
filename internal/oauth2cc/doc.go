// Package oauth2cc holds the parts of the OAuth2 client credentials grant
// (RFC 6749 §4.4) that the token endpoints of pact-serve (carbon/pact)
// and epcis-serve (iot/epcisquery) share: client authentication by HTTP
// Basic, reading a token request (readGrant), the table of issued
// tokens (Tokens) and reading a bearer token; and the client's side,
// FetchToken. Each server keeps its own answers to a missing, unknown or
// expired token.
package oauth2cc
