module github.com/mepkit/mepkit

go 1.26

require (
	github.com/adhocore/gronx v1.20.4 // indirect
	github.com/rickar/cal/v2 v2.1.26 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
