#!/usr/bin/env python3
"""Which old web-app assets a deploy may delete.

Hashed files under assets/ are never deleted when a new build goes up: a tab that loaded
the previous index.html still asks for its lazy chunks. Each deploy records the assets it
served in a manifest, _deploys/<UTC time>.txt, in the web bucket. An asset is kept while any
kept manifest names it; a manifest is kept while it is one of the newest KEEP_DEPLOYS or
younger than KEEP_DAYS. Assets no manifest names (from before manifests, or uploaded by
hand) are written into the new manifest, so they too are kept for that long.

Usage: web_assets.py plan MANIFEST_DIR EXISTING_KEYS_FILE BUILD_ASSETS_DIR NOW KEEP_DEPLOYS KEEP_DAYS OUT_MANIFEST
  MANIFEST_DIR        the bucket's _deploys/ copied locally (may be empty)
  EXISTING_KEYS_FILE  the bucket's keys under assets/, whitespace-separated
  NOW                 this deploy's time, YYYYmmddTHHMMSSZ (the new manifest's name)
Writes the new manifest to OUT_MANIFEST and prints the keys to delete, one a line
(old assets, then old manifests as _deploys/<name>).
"""

import datetime
import os
import sys

STAMP = "%Y%m%dT%H%M%SZ"


def plan(manifests, existing, current, now, keep_deploys, keep_days):
    """manifests: {stamp: set of keys}; existing, current: sets of assets/ keys.
    Returns (new manifest keys, asset keys to delete, manifest stamps to delete)."""
    named = set().union(*manifests.values()) if manifests else set()
    new_manifest = set(current) | (set(existing) - named)
    everything = dict(manifests)
    everything[now] = new_manifest
    newest = sorted(everything, reverse=True)
    cutoff = datetime.datetime.strptime(now, STAMP) - datetime.timedelta(days=keep_days)
    kept = {
        stamp for index, stamp in enumerate(newest)
        if index < keep_deploys or datetime.datetime.strptime(stamp, STAMP) >= cutoff
    }
    keep = set().union(*(everything[s] for s in kept))
    delete_assets = sorted(set(existing) - keep)
    delete_manifests = sorted(set(manifests) - kept)
    return new_manifest, delete_assets, delete_manifests


def read_manifests(directory):
    manifests = {}
    for name in os.listdir(directory):
        if not name.endswith(".txt"):
            continue
        stamp = name[: -len(".txt")]
        try:
            datetime.datetime.strptime(stamp, STAMP)
        except ValueError:
            continue
        with open(os.path.join(directory, name)) as f:
            manifests[stamp] = {line.strip() for line in f if line.strip()}
    return manifests


def main(argv):
    if len(argv) != 9 or argv[1] != "plan":
        print(__doc__, file=sys.stderr)
        return 2
    _, _, manifest_dir, existing_file, build_dir, now, keep_deploys, keep_days, out = argv
    with open(existing_file) as f:
        existing = {k for k in f.read().split() if k.startswith("assets/")}
    current = set()
    for root, _, files in os.walk(build_dir):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), build_dir).replace(os.sep, "/")
            current.add(f"assets/{rel}")
    new_manifest, delete_assets, delete_manifests = plan(
        read_manifests(manifest_dir), existing, current, now, int(keep_deploys), int(keep_days)
    )
    with open(out, "w") as f:
        f.write("".join(f"{key}\n" for key in sorted(new_manifest)))
    for key in delete_assets:
        print(key)
    for stamp in delete_manifests:
        print(f"_deploys/{stamp}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
