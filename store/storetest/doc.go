// Package storetest gives tests fresh databases for the store on both
// engines: a SQLite file in the test's temporary directory, and a new
// PostgreSQL database on the server named by the environment variable
// SILLAGE_TEST_POSTGRES, dropped when the test ends.
package storetest
