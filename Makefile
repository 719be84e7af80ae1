# sf-agent: build, test and demo on Debian 12 (run as root).
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT_BUILD_FLAGS ?=
# Evaluated by the recipe's shell (which sees the PATH above), not by $(shell).
BIN_PATH = $$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)

.PHONY: all deps build test lint format demo clean image container-test fuzz fuzz-smoke fuzz-merge

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

# The style of .swift-format (the toolchain's swift-format): `lint` fails on any
# difference, `format` rewrites the files.
FORMATTED = Sources Tests Package.swift Fuzz
lint:
	swift format lint --strict --parallel --recursive $(FORMATTED)

format:
	swift format format --in-place --parallel --recursive $(FORMATTED)

demo: build
	@SF_AGENT_BINARY="$(BIN_PATH)/sf-agent" bash examples/demo.sh

# The runner image from a host-built static release binary, tagged
# setup-factory/runner:<version> and :latest, or IMAGE=ref (runner-images/README.md).
IMAGE ?=
image: deps
	bash runner-images/build.sh $(if $(IMAGE),--tag $(IMAGE))

# Builds the image and runs real jobs in podman containers, then checks deploy/.
container-test:
	bash runner-images/test/run.sh

# Coverage-guided fuzzing (docs/testing.md): the harnesses of Fuzz/Harnesses,
# built against instrumented modules in .build-fuzz, each run FUZZ_SECONDS on
# its corpus (FUZZ_HARNESSES=glob,masker for some; FUZZ_JOBS at once).
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_HARNESSES ?=
FUZZ_SMOKE_SECONDS ?= 10
comma := ,

fuzz: deps
	bash Fuzz/build.sh $(subst $(comma), ,$(FUZZ_HARNESSES))
	bash Fuzz/run.sh --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(subst $(comma), ,$(FUZZ_HARNESSES))

# CI: one build, every harness FUZZ_SMOKE_SECONDS on the committed corpus
# (so a fixed finding that comes back fails at once), two at a time.
fuzz-smoke: deps
	bash Fuzz/build.sh
	bash Fuzz/run.sh --seconds $(FUZZ_SMOKE_SECONDS) --jobs 2

# Rebuilds Fuzz/Corpus small: seeds, findings and the fewest inputs that reach
# what the corpus and the runs reached (libFuzzer -set_cover_merge=1).
fuzz-merge:
	bash Fuzz/merge.sh $(subst $(comma), ,$(FUZZ_HARNESSES))

clean:
	rm -rf .build .build-fuzz
