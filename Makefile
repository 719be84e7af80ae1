# sf-agent: build, test and demo on Debian 12 (run as root).
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT_BUILD_FLAGS ?=
# Evaluated by the recipe's shell (which sees the PATH above), not by $(shell).
BIN_PATH = $$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)

.PHONY: all deps build test demo clean image container-test

all: build

deps:
	@bash .ci/install-deps

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# One build of everything (the agent and the test bundle), then every test
# against that same binary.
test: deps
	swift build $(SWIFT_BUILD_FLAGS) --build-tests
	SF_AGENT_BINARY="$(BIN_PATH)/sf-agent" swift test $(SWIFT_BUILD_FLAGS) --skip-build

demo: build
	@SF_AGENT_BINARY="$(BIN_PATH)/sf-agent" bash examples/demo.sh

# The runner image from a host-built static release binary, tagged
# localhost/sf-agent/runner:<version> and :latest, or IMAGE=ref (runner-images/README.md).
IMAGE ?=
image: deps
	bash runner-images/build.sh $(if $(IMAGE),--tag $(IMAGE))

# Builds the image and runs real jobs in podman containers, then checks deploy/.
container-test:
	bash runner-images/test/run.sh

clean:
	rm -rf .build
