// Package sleeptracker is the module root. It only embeds the API contract,
// openapi.yaml, so that sleep-api can serve it at /api/openapi.yaml.
package sleeptracker

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document describing every API route.
//
//go:embed openapi.yaml
var OpenAPI []byte
