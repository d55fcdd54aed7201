"""The same-run reference for `make bench`'s image pipeline figure.

Pillow doing what the first version of the server did with a generated
JPEG: open and verify it, reopen it, decode it in draft mode (libjpeg-turbo's
DCT scaling) and make a 512 px thumbnail, encode that at JPEG quality 80,
write the original and the thumbnail as files, and insert one row into
SQLite. The files are written the way the server's local media store writes
them (a staged `<name>#1` file, renamed into place, no fsync) and the
database is set up as the server's is (WAL, synchronous=NORMAL, foreign keys
on), so only the image work differs.

The bench starts this script once with the JPEG's path and drives it over
standard input: each line `round` runs one round and answers with its time in
milliseconds, so the bench can interleave these rounds with its own. End of
input ends the script. `--rounds N` instead runs N rounds alone and prints
their median (for a quick look by hand).
"""

import argparse
import io
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid

try:
    from PIL import Image
except ImportError:
    sys.exit("pillow is missing from .venv: run `make venv`")

THUMBNAIL = (512, 512)
QUALITY = 80
PROMPT = "sunset over the ocean with mountains, oil painting"

SCHEMA = """
CREATE TABLE users (id TEXT PRIMARY KEY, images INTEGER NOT NULL DEFAULT 0);
CREATE TABLE images (
    rowid            INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    generation_id    TEXT NOT NULL,
    prompt           TEXT NOT NULL,
    negative_prompt  TEXT,
    model            TEXT NOT NULL,
    provider         TEXT NOT NULL,
    width            INTEGER NOT NULL,
    height           INTEGER NOT NULL,
    steps            INTEGER NOT NULL,
    seed             INTEGER NOT NULL,
    style            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    favorite         INTEGER NOT NULL DEFAULT 0,
    content_type     TEXT NOT NULL,
    bytes            INTEGER NOT NULL,
    object_key       TEXT NOT NULL,
    thumbnail_key    TEXT NOT NULL,
    thumbnail_width  INTEGER NOT NULL,
    thumbnail_height INTEGER NOT NULL,
    placeholder      TEXT NOT NULL,
    inference_ms     INTEGER
);
CREATE INDEX images_by_owner ON images(user_id, id);
"""

INSERT = """
INSERT INTO images (id, user_id, generation_id, prompt, negative_prompt, model,
    provider, width, height, steps, seed, style, created_at, content_type,
    bytes, object_key, thumbnail_key, thumbnail_width, thumbnail_height,
    placeholder, inference_ms)
VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def store(path, data):
    """Writes `data` as the local media store does: staged, then renamed."""
    staged = path + "#1"
    descriptor = os.open(staged, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(descriptor, data)
        os.fstat(descriptor)
    finally:
        os.close(descriptor)
    os.rename(staged, path)


class Pipeline:
    def __init__(self, jpeg, folder):
        self.jpeg = jpeg
        self.user = "bench-user"
        self.images = os.path.join(folder, "images", "users", self.user)
        os.makedirs(self.images)
        self.db = sqlite3.connect(os.path.join(folder, "promptcanvas.db"))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT INTO users (id) VALUES (?)", (self.user,))
        self.db.commit()

    def round(self):
        """One image through the pipeline; returns its time in milliseconds."""
        started = time.perf_counter()
        with Image.open(io.BytesIO(self.jpeg)) as image:
            image.verify()
        image = Image.open(io.BytesIO(self.jpeg))
        width, height = image.size
        image.draft("RGB", THUMBNAIL)
        image.thumbnail(THUMBNAIL)
        thumbnail = io.BytesIO()
        image.save(thumbnail, "JPEG", quality=QUALITY)
        thumbnail = thumbnail.getvalue()
        image_id = uuid.uuid4().hex
        object_key = os.path.join(self.images, image_id + ".jpg")
        thumbnail_key = os.path.join(self.images, image_id + ".thumb.jpg")
        store(object_key, self.jpeg)
        store(thumbnail_key, thumbnail)
        with self.db:
            self.db.execute(
                INSERT,
                (
                    image_id, self.user, image_id, PROMPT, "flux-schnell", "offline",
                    width, height, 4, 1, "none", "2026-01-01T00:00:00Z", "image/jpeg",
                    len(self.jpeg), object_key, thumbnail_key, image.width,
                    image.height, "#000000", 20,
                ),
            )
        return (time.perf_counter() - started) * 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jpeg", help="the JPEG every round starts from")
    parser.add_argument("--rounds", type=int, help="run this many rounds alone, print the median")
    arguments = parser.parse_args()
    with open(arguments.jpeg, "rb") as file:
        jpeg = file.read()
    with tempfile.TemporaryDirectory() as folder:
        pipeline = Pipeline(jpeg, folder)
        if arguments.rounds:
            for _ in range(10):
                pipeline.round()
            samples = [pipeline.round() for _ in range(arguments.rounds)]
            print(f"{statistics.median(samples):.3f}")
            return
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() != "round":
                sys.exit(f"unknown request {line.strip()!r}")
            print(f"{pipeline.round():.4f}", flush=True)


if __name__ == "__main__":
    main()
