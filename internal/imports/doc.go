// Package imports brings sleep histories in (SPEC §13.4, §13.5, §14): one file
// per source format, each a Parser from the spooled upload to source records
// (record.go); ONE shared mapping and rule set (validate, duplicate, overlap,
// new) that turns records into sessions; and the in-memory job registry. A
// parser never touches the store: the store commits a job in one transaction.
package imports
