# ccgw: build, run the demo, run the tests. `make demo` and `make test` are the two entry
# points the README names; everything else is a building block.

CARGO ?= cargo
CC ?= gcc
RELEASE := target/release
BUILD := build
CSTRICT := -std=c99 -Wall -Wextra -Werror -pedantic

.PHONY: demo test bench-http bench-failover lib windows test-windows header check-header clean release wheel nuget dist docs

## Build libccgw (shared and static) and the simulator, optimised.
lib:
	$(CARGO) build --release -p ccgw -p ccgw-sim
	ln -sf libccgw.so $(RELEASE)/libccgw.so.1

$(BUILD)/conference: examples/conference.c include/ccgw.h lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTRICT) -Iinclude examples/conference.c -L$(RELEASE) -Wl,-rpath,'$$ORIGIN/../$(RELEASE)' -lccgw -o $@

## The main job: the C conference demo against the bundled simulator (started and stopped here).
demo: $(BUILD)/conference
	scripts/with-sim $(BUILD)/conference

## Every test (what CI runs).
test:
	scripts/test

## The HTTP benchmark (BENCHMARKS.md §1): ccgw through the C ABI, a libcurl C client and raw
## reqwest against an nginx it starts on loopback; not part of `make test`. Options:
## BENCH_ARGS="--rounds 5 --requests 4000 --no-callgrind --smoke ...".
bench-http:
	benches/http/run.py $(BENCH_ARGS)

## Windows deliverables, cross-built with mingw-w64 (README, "Windows"): ccgw.dll, ccgw.lib
## (MSVC), libccgw.dll.a (mingw), ccgw.def, libccgw.a and ccgw-sim.exe in
## target/x86_64-pc-windows-gnu/release.
windows:
	scripts/build-windows

## The Windows programs under Wine against the simulator (part of `make test`).
test-windows:
	scripts/test-windows

## 1,000 sessions through one switchover of the cluster simulator (BENCHMARKS.md, section
## "Fail-over"); not part of `make test`. CCGW_FAILOVER_SESSIONS sets the count.
bench-failover:
	$(CARGO) bench --bench failover

## Regenerate include/ccgw.h from the Rust sources.
header:
	$(CARGO) run -q -p ccgw-gen-header

check-header:
	$(CARGO) run -q -p ccgw-gen-header -- --check

## Release build for Linux: libccgw and ccgw-sim linked against glibc 2.17 (manylinux2014)
## with cargo-zigbuild, into target/zig; the symbol-version check runs on both.
release:
	packaging/release-build.sh

## Python platform wheels into dist/ (manylinux2014; win_amd64 when a Windows build exists).
wheel:
	packaging/build-wheel.sh

## The NuGet package Ccgw.Net.<version>.nupkg into dist/.
nuget:
	bindings/dotnet/pack.sh

## Release archives into dist/: ccgw-<version>-<target>.tar.gz (and .zip for Windows).
dist:
	packaging/dist.sh

## The API reference into build/docs/ (Doxygen for C/C++, pdoc for Python); warnings fail it.
docs:
	docs/build.sh

clean:
	$(CARGO) clean
	rm -rf $(BUILD) dist
