// Package epcisquery serves a read-only subset of the EPCIS 2.0 REST query
// interface over the item history that the ingest keeps (see
// sillage.HistoryTx and store.Store.QueryEvents):
//
//	POST /auth/token     OAuth2 client credentials grant (RFC 6749 §4.4),
//	                     the client id and secret by HTTP Basic; returns a
//	                     bearer token, as sillage pact-serve does
//	GET  /epcis/events   the events that match the query parameters, as an
//	                     EPCISQueryDocument, one page at a time
//
// # Query parameters (EPCIS 2.0 §8.2.7.1, REST binding)
//
// Lists are pipe-delimited (EQ_bizStep=shipping|receiving); the
// parameters are combined with AND, the values of one with OR.
//
//	MATCH_epc       identifiers in any form of a GS1 key (EPC URN, Digital
//	                Link, SGTIN-96 tag) or an EPC pattern
//	                (urn:epc:idpat:sgtin:0614141.107346.*). An event matches
//	                when it lists a matching identifier anywhere: epcList,
//	                childEPCs, parentID, inputEPCList or outputEPCList (the
//	                standard's MATCH_anyEPC, which is accepted too).
//	EQ_bizStep      CBV bare words (shipping) or their URIs
//	EQ_bizLocation  SGLN URNs or Digital Link URIs (AI 414 with 254)
//	GE_eventTime    RFC 3339 instants: eventTime >= GE_eventTime
//	LT_eventTime    eventTime < LT_eventTime
//	perPage         events per page, 1 to MaxPerPage (default 30)
//	nextPageToken   the token of the next page, from the Link header
//
// Any other parameter is refused with 400 and the list of those this
// server supports. Events come in eventTime order (then in the order they
// were recorded). While more events match, the response has a header
// Link: <URL of the next page>; rel="next"; its nextPageToken is a
// position in that order, so it does not expire and a page never repeats
// or skips an event recorded meanwhile before the position.
//
// # Errors
//
// Errors are RFC 7807 problem documents, as the EPCIS 2.0 REST binding
// specifies: 400 epcisException:QueryParameterException (a bad or
// unsupported parameter, a token that does not decode), 401
// epcisException:SecurityException (no bearer token, an unknown or
// expired one), 500 epcisException:ImplementationException.
package epcisquery
