# The two commands a fresh machine needs: `make layers` (build every Lambda layer) and `make test`.
# Both install uv and nox into the user's Python first if they are missing; nox does the rest.

PYTHON ?= python3
UV_VERSION := 0.13.8
NOX_VERSION := 2026.10.20
NOX := $(PYTHON) -m nox

.PHONY: tools layers test lint isolation unit docker-test images benchmarks benchmark-labels publish clean

tools:
	@$(PYTHON) -c "import nox, uv" 2>/dev/null || \
		$(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)" "nox==$(NOX_VERSION)"

layers: tools  ## build, verify and write every layer zip into dist/layers/
	$(NOX) -s build_layers -- $(ARGS)

test: tools  ## the whole test suite: lint, isolation, every package's tests, container tests
	$(NOX) -s lint isolation tests test_docker

lint: tools
	$(NOX) -s lint

isolation: tools
	$(NOX) -s isolation

unit: tools  ## package tests only (no Docker)
	$(NOX) -s tests

docker-test: tools
	$(NOX) -s test_docker

images: tools  ## Lambda-like stand-in images, built locally with no registry
	$(NOX) -s runtime_images

benchmarks: tools  ## storage and layer benchmarks; quick: ARGS="--sizes 2000,10000"
	$(NOX) -s benchmark_import
	$(NOX) -s benchmark_storage -- $(ARGS)
	$(NOX) -s benchmark_layers

benchmark-labels: tools  ## extract_fields over receipts-dev; failures: ARGS=--failures
	$(NOX) -s benchmark_labels -- $(ARGS)

publish: tools
	$(NOX) -s publish_layers -- $(ARGS)

clean:
	rm -rf .nox dist
