#!/usr/bin/env python3
"""Fails when the release binary's dependencies would be built with other
features than the test build's.

Cargo unifies features per build: when `cargo test` turns on a feature of a
crate the binary also uses (through a dev-dependency), building the binary on
its own compiles that crate and everything above it again. The Makefile builds
the bench, the binary and the Lambda package from one dependency build, so the
binary must ask for the same features. This prints what to add to
server/Cargo.toml when they differ.

The exception is a feature only tests use and the product must not carry
(`TEST_ONLY`): the bench then builds that crate, and what sits above it, once
more, and the binary stays without it.
"""

import collections
import subprocess
import sys

TARGET = "x86_64-unknown-linux-gnu"

# The API tests' browser-like client keeps cookies; the server never does.
TEST_ONLY = {"reqwest": {"cookies"}}


def feature_sets(args):
    tree = subprocess.run(
        ["cargo", "tree", "--locked", "--prefix", "none", "--target", TARGET, "-f", "{p}|{f}", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    features = collections.defaultdict(set)
    for line in tree.splitlines():
        line = line.replace(" (*)", "").strip()
        if "|" not in line or "(proc-macro)" in line:
            continue
        package, names = line.split("|", 1)
        features[package.strip()] |= {name for name in names.split(",") if name}
    return features


def test_only(package):
    """The test-only features of a `name vX.Y.Z` package."""
    return TEST_ONLY.get(package.split(" ")[0], set())


def main():
    binary = feature_sets(["-p", "promptcanvas", "-e", "normal,no-proc-macro"])
    tests = feature_sets(["--workspace", "-e", "normal,dev,no-proc-macro"])
    drift = [
        (package, missing)
        for package in sorted(binary.keys() & tests.keys())
        if (missing := sorted(tests[package] - binary[package] - test_only(package)))
        or binary[package] - tests[package]
    ]
    for package, missing in drift:
        print(f"{package}: the test build adds features {missing}; name them in server/Cargo.toml")
    if drift:
        sys.exit(1)
    print(f"one dependency build: the binary's {len(binary)} crates have the test build's features")


if __name__ == "__main__":
    main()
