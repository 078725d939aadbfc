module github.com/mepkit/mepkit

go 1.26

require (
	github.com/adhocore/gronx v1.20.4
	github.com/rickar/cal/v2 v2.1.26
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.6
)
