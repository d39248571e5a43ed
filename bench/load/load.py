#!/usr/bin/env python3
"""The phases of `scripts/load` (the server under load). scripts/load starts and stops the
processes (albumen with its embedded Postgres, nginx); this file drives and measures them.

    load.py photos   OUT_DIR CORPUS                 make ~20 MB JPEGs from corpus photos (cached)
    load.py setup    --base URL --state S.json --photo P   user, album, one real upload
    load.py serve    --state S --name N --url U --out O.json [--close]   wrk at concurrency 64
    load.py seed     --state S --socket DIR --total N      insert rows up to N images (SQL)
    load.py listing  --state S --socket DIR --rows N --out O.json   first and deep page, wrk
    load.py explain  --state S --socket DIR --out O.json   EXPLAIN ANALYZE of the listing queries
    load.py uploads  --state S --pid PID --photos DIR --out O.json  32 concurrent uploads, RSS
    load.py report   OUT_DIR                         the results table (Markdown), from the JSONs

Every phase writes JSON into the output directory; `report` only reads them.
"""
import argparse
import base64
import http.client
import io
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT_LUA = HERE / "report.lua"
MIB = 1 << 20


# ---------------------------------------------------------------------------------------------
# HTTP


def request(base, method, path, body=None, headers=None, timeout=60):
    """One request on a fresh connection; returns (status, headers dict, body bytes)."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def api_json(base, method, path, payload=None, token=None, expect=(200, 201)):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps(payload).encode() if payload is not None else None
    status, _, data = request(base, method, path, body, headers)
    if status not in expect:
        raise SystemExit(f"{method} {path}: {status} {data[:500]!r}")
    return json.loads(data) if data else None


def multipart(filename, data, content_type="image/jpeg"):
    boundary = "albumen-load-" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", head + data + tail


# ---------------------------------------------------------------------------------------------
# photos: ~20 MB JPEGs made from real corpus photos


# (corpus file, upscale factor): ~27-31 MP each once upscaled
PHOTO_SOURCES = [
    ("mate-Elephants_5640x3172.jpg", 1.30),
    ("Kleiber_by_Lukas_Baubkus.jpg", 1.20),
    ("seeding_by_Clements_Engelhardt.jpg", 1.30),
    ("Infinite-Sea_by_Aury88.jpg", 1.35),
]
PHOTO_TARGET = 20_000_000
PHOTO_MAX = 24 * MIB  # stays under the server's 25 MiB per-file limit
PHOTO_RECIPE = "v1 lanczos-upscale + gaussian sensor noise sigma 5, q searched for 20 MB, 4:4:4"


def cmd_photos(args):
    from PIL import Image, ImageChops

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = out / "RECIPE"
    names = [f"load-{Path(src).stem}.jpg" for src, _ in PHOTO_SOURCES]
    if stamp.exists() and stamp.read_text() == PHOTO_RECIPE and all((out / n).exists() for n in names):
        for n in names:
            print(f"  {n}: {(out / n).stat().st_size / 1e6:.1f} MB (cached)")
        return
    for (src, scale), name in zip(PHOTO_SOURCES, names):
        started = time.time()
        im = Image.open(Path(args.corpus) / src).convert("RGB")
        w, h = im.size
        im = im.resize((round(w * scale), round(h * scale)), Image.LANCZOS)
        # Upscaling smooths a photo; sensor-like noise gives it back the entropy of a real
        # high-resolution camera file, so the JPEG is as large (and as slow to decode) as one.
        bands = [ImageChops.add(b, Image.effect_noise(im.size, 5), 1.0, -128) for b in im.split()]
        im = Image.merge("RGB", bands)
        best = None
        lo, hi = 80, 97
        while lo <= hi:
            q = (lo + hi) // 2
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=q, subsampling=0)
            size = len(buf.getvalue())
            if size <= PHOTO_MAX and (best is None or abs(size - PHOTO_TARGET) < abs(best[1] - PHOTO_TARGET)):
                best = (q, size, buf.getvalue())
            if size < PHOTO_TARGET:
                lo = q + 1
            else:
                hi = q - 1
        if best is None:
            raise SystemExit(f"could not make {name} under {PHOTO_MAX} bytes")
        (out / name).write_bytes(best[2])
        print(f"  {name}: {im.size[0]}x{im.size[1]} ({im.size[0] * im.size[1] / 1e6:.1f} MP), "
              f"q{best[0]}, {best[1] / 1e6:.1f} MB ({time.time() - started:.0f} s)")
    stamp.write_text(PHOTO_RECIPE)


# ---------------------------------------------------------------------------------------------
# setup: a user, an album, one real photo uploaded (its `large` variant is what `serve` fetches)


def cmd_setup(args):
    base = args.base
    user = {"username": "loadtest", "email": "loadtest@example.com", "password": "correct horse battery"}
    tokens = api_json(base, "POST", "/api/v1/auth/register", user)
    token = tokens["access_token"]
    album = api_json(base, "POST", "/api/v1/albums", {"name": "Load"}, token=token)
    photo = Path(args.photo)
    ctype, body = multipart(photo.name, photo.read_bytes())
    status, _, data = request(base, "POST", f"/api/v1/albums/{album['id']}/images", body,
                              {"content-type": ctype, "authorization": f"Bearer {token}"}, timeout=120)
    if status != 201:
        raise SystemExit(f"upload of {photo.name}: {status} {data[:500]!r}")
    image = json.loads(data)["images"][0]
    large = image["variants"]["large"]
    state = {
        "base": base,
        "token": token,
        "user_id": tokens["user"]["id"],
        "album_id": album["id"],
        "image_id": image["id"],
        "image_created_at": image["created_at"],
        "photo": photo.name,
        "photo_size": [image["width"], image["height"]],
        "large_url": large["url"],
        "large_bytes": large["bytes"],
        "large_size": [large["width"], large["height"]],
    }
    Path(args.state).write_text(json.dumps(state, indent=2))
    print(f"  user {state['user_id']}, album {album['id']}, image {image['id']} "
          f"({photo.name} → large {large['width']}x{large['height']}, {large['bytes']} bytes)")


# ---------------------------------------------------------------------------------------------
# wrk


def cpu_ticks_by_name(roots):
    """CPU time (utime + stime, in clock ticks) of the processes under `roots`, by name."""
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        procs[int(entry)] = (int(fields[1]), name, int(fields[11]) + int(fields[12]))
    tree, todo = set(), [r for r in roots if r in procs]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [p for p, (ppid, _, _) in procs.items() if ppid == pid and p not in tree]
    ticks = {}
    for pid in tree:
        _, name, t = procs[pid]
        name = "postgres" if name.startswith("postgres") else name
        ticks[name] = ticks.get(name, 0) + t
    return ticks


def wrk(url, out, connections, duration, warmup, headers=(), threads=2, pids=()):
    """A warm-up run (discarded), then the measured run; returns wrk's JSON summary, with the
    CPU seconds the processes under `pids` (by name) and wrk itself spent in the measured run."""
    base_cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", "--latency", "-s", str(REPORT_LUA)]
    for h in headers:
        base_cmd += ["-H", h]
    if warmup > 0:
        subprocess.run(base_cmd + [f"-d{warmup}s", url], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "WRK_JSON": ""})
    env = {**os.environ, "WRK_JSON": str(out)}
    hz = os.sysconf("SC_CLK_TCK")
    before, wrk_before = cpu_ticks_by_name(pids), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(base_cmd + [f"-d{duration}s", "--timeout", "10s", url], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    after, wrk_after = cpu_ticks_by_name(pids), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(Path(out).read_text())
    result["connections"] = connections
    cpu = {name: round((after[name] - before.get(name, 0)) / hz, 2) for name in after}
    cpu["wrk"] = round(wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime, 2)
    result["cpu_s"] = cpu
    return result


def fmt_ms(us):
    return f"{us / 1000:.2f}"


def cpu_per_request(r):
    """CPU milliseconds per request, by process, in the measured run."""
    n = max(r["requests"], 1)
    parts = sorted(r.get("cpu_s", {}).items(), key=lambda kv: -kv[1])
    return "CPU ms/request: " + ", ".join(f"{name} {1000 * s / n:.3f}" for name, s in parts if s > 0)


def cmd_serve(args):
    state = json.loads(Path(args.state).read_text())
    headers = ["Connection: close"] if args.close else []
    # The bytes served must be the variant's, whoever serves them.
    url = urllib.parse.urlsplit(args.url)
    status, hdrs, data = request(f"{url.scheme}://{url.netloc}", "GET",
                                 url.path + (f"?{url.query}" if url.query else ""))
    if status != 200 or len(data) != state["large_bytes"]:
        raise SystemExit(f"{args.name}: GET {args.url} → {status}, {len(data)} bytes "
                         f"(expected 200, {state['large_bytes']})")
    result = wrk(args.url, args.out, args.connections, args.duration, args.warmup, headers, pids=args.pid)
    result.update(name=args.name, keep_alive=not args.close, body_bytes=len(data),
                  server_headers=sorted(hdrs))
    Path(args.out).write_text(json.dumps(result, indent=2))
    lat = result["latency_us"]
    print(f"  {args.name:<8} {'keep-alive' if not args.close else 'close':<10} "
          f"{result['rps']:>9.0f} req/s  p50 {fmt_ms(lat['p50'])} ms  p99 {fmt_ms(lat['p99'])} ms  "
          f"errors {sum(result['errors'].values())}  {cpu_per_request(result)}")


def cmd_breakdown(args):
    """Where a served request's time goes: the same c=64 load on cheaper requests."""
    state = json.loads(Path(args.state).read_text())
    base, token = state["base"], state["token"]
    image = api_json(base, "GET", f"/api/v1/images/{state['image_id']}", token=token)
    thumb = image["variants"]["thumb"]
    cases = [
        ("GET /healthz (routing, middleware, log line; no database)", base + "/healthz", []),
        ("large, Range: bytes=0-0, signed URL (a memory copy vouches when cached)", state["large_url"],
         ["Range: bytes=0-0"]),
        ("large, Range: bytes=0-0, owner's token (always asks the database)",
         f"{base}/api/v1/images/{state['image_id']}/content/large",
         ["Range: bytes=0-0", f"Authorization: Bearer {token}"]),
        (f"thumb ({thumb['bytes'] // 1024} KiB)", thumb["url"], []),
    ]
    results = []
    for label, url, headers in cases:
        r = wrk(url, args.out + ".tmp", args.connections, args.duration, args.warmup, headers, pids=args.pid)
        r["label"] = label
        results.append(r)
        lat = r["latency_us"]
        print(f"  {label:<66} {r['rps']:>7.0f} req/s  p50 {fmt_ms(lat['p50'])} ms  p99 {fmt_ms(lat['p99'])} ms  "
              f"errors {sum(r['errors'].values())}  {cpu_per_request(r)}")
    Path(args.out + ".tmp").unlink(missing_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))


# ---------------------------------------------------------------------------------------------
# psql


def psql(socket, sql, *extra):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket, "-p", "5432",
           "-U", "albumen", "-d", "albumen", *extra]
    done = subprocess.run(cmd, input=sql, text=True, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"psql failed: {done.stderr}")
    return done.stdout


def psql_rows(socket, sql):
    out = psql(socket, sql, "-A", "-t", "-F", "\t")
    return [line.split("\t") for line in out.splitlines() if line]


# ---------------------------------------------------------------------------------------------
# seed: images (and their five variant rows, which the listing joins) inserted with SQL

SEED_SQL = """
BEGIN;
INSERT INTO images (id, owner_id, album_id, filename, content_type, width, height, bytes, sha256,
                    stored_bytes, created_at)
SELECT md5('albumen-load-' || i)::uuid, '{owner}', '{album}',
       'IMG_' || lpad(i::text, 6, '0') || '.jpg', 'image/jpeg', 4032, 3024,
       2000000 + (i * 7919) % 2000000, md5('a' || i) || md5('b' || i),
       3200000 + (i * 7919) % 2000000,
       -- one every ~26 s going back from the real upload (100,000 rows ≈ 30 days), never a tie
       timestamptz '{base}' - make_interval(secs => i * 26 + (i * 7919) % 20)
FROM generate_series({first}, {last}) AS i;
INSERT INTO image_variants (image_id, size, width, height, bytes, content_type, etag)
SELECT md5('albumen-load-' || i)::uuid, v.size, v.w, v.h, v.b + (i * 7919) % 1000, 'image/jpeg',
       md5(v.size || i)
FROM generate_series({first}, {last}) AS i
CROSS JOIN (VALUES ('thumb', 300, 225, 25000), ('small', 640, 480, 90000),
                   ('medium', 1280, 960, 300000), ('large', 2048, 1536, 700000),
                   ('original', 4032, 3024, 2500000)) AS v(size, w, h, b);
COMMIT;
VACUUM ANALYZE images;
VACUUM ANALYZE image_variants;
"""


def owner_count(socket, owner):
    return int(psql_rows(socket, f"SELECT count(*) FROM images WHERE owner_id = '{owner}'")[0][0])


def cmd_seed(args):
    state = json.loads(Path(args.state).read_text())
    have = owner_count(args.socket, state["user_id"])
    # Rows are numbered from 1 going back in time; row i exists iff i < have (the real upload
    # is row 0), so seeding is resumable and the 1,000-row set is the start of the 100,000.
    first, last = have, args.total - 1
    if last < first:
        print(f"  {have} images already")
        return
    started = time.time()
    psql(args.socket, SEED_SQL.format(owner=state["user_id"], album=state["album_id"],
                                      base=state["image_created_at"], first=first, last=last))
    total = int(psql_rows(args.socket, "SELECT count(*) FROM images")[0][0])
    print(f"  inserted images {first}..{last} (+5 variant rows each) in {time.time() - started:.1f} s "
          f"(with VACUUM ANALYZE); the user has {owner_count(args.socket, state['user_id'])}, "
          f"the table {total}")


def cmd_unseed(args):
    """Back to `total` images (the newest), and a table rewritten to that size (VACUUM FULL)."""
    state = json.loads(Path(args.state).read_text())
    owner = state["user_id"]
    started = time.time()
    psql(args.socket, f"""
DELETE FROM images WHERE owner_id = '{owner}' AND id NOT IN (
  SELECT id FROM images WHERE owner_id = '{owner}' ORDER BY created_at DESC, id DESC LIMIT {args.total});
VACUUM FULL ANALYZE images;
VACUUM FULL ANALYZE image_variants;
""")
    total = int(psql_rows(args.socket, "SELECT count(*) FROM images")[0][0])
    print(f"  deleted down to {owner_count(args.socket, owner)} images (table {total}) "
          f"in {time.time() - started:.1f} s (with VACUUM FULL ANALYZE)")


# ---------------------------------------------------------------------------------------------
# listing: GET /api/v1/images?limit=50, first page and a deep page (by cursor)


def deep_key(socket, owner, offset):
    """The (created_at µs, id) of the row at `offset` in the listing's order."""
    row = psql_rows(socket, f"""
        SELECT (extract(epoch FROM created_at) * 1000000)::bigint, id FROM images
        WHERE owner_id = '{owner}' ORDER BY created_at DESC, id DESC OFFSET {offset} LIMIT 1""")[0]
    return int(row[0]), row[1]


def cursor_of(key):
    """The server's opaque cursor (base64url JSON of the last row's time in µs and id)."""
    t, i = key
    raw = json.dumps({"t": t, "i": i}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def walk_cursor(base, token, pages, limit):
    cursor = None
    for _ in range(pages):
        path = f"/api/v1/images?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        cursor = api_json(base, "GET", path, token=token)["next_cursor"]
    return cursor


def cmd_listing(args):
    state = json.loads(Path(args.state).read_text())
    base, token = state["base"], state["token"]
    rows = owner_count(args.socket, state["user_id"])
    deep_offset = rows - 101  # the page after this row: 50 items, 50 more behind it
    cursor = cursor_of(deep_key(args.socket, state["user_id"], deep_offset))
    if deep_offset % 50 == 49 and deep_offset < 2000:
        # a cheap cross-check (at the small size) that it is the cursor paging would reach
        walked = walk_cursor(base, token, (deep_offset + 1) // 50, 50)
        if walked != cursor:
            raise SystemExit(f"constructed cursor {cursor} != walked {walked}")
    pages = {
        "first": "/api/v1/images?limit=50",
        "deep": f"/api/v1/images?limit=50&cursor={cursor}",
    }
    expected_first = psql_rows(args.socket, f"""SELECT id FROM images WHERE owner_id = '{state["user_id"]}'
        ORDER BY created_at DESC, id DESC OFFSET {deep_offset + 1} LIMIT 1""")[0][0]
    results = {"rows": rows, "table_rows": int(psql_rows(args.socket, "SELECT count(*) FROM images")[0][0]),
               "deep_offset": deep_offset + 1, "connections": args.connections, "pages": {}}
    for name, path in pages.items():
        page = api_json(base, "GET", path, token=token)
        if len(page["items"]) != 50 or page["next_cursor"] is None:
            raise SystemExit(f"{name} page: {len(page['items'])} items, next_cursor {page['next_cursor']}")
        if name == "deep" and page["items"][0]["id"] != expected_first:
            raise SystemExit(f"deep page starts at {page['items'][0]['id']}, expected {expected_first}")
        results["pages"][name] = {"body_bytes": len(json.dumps(page)), "runs": {}}
        # One connection: the service time; then several: latency under load (2 cores).
        for k, conns in enumerate(sorted({1, args.connections})):
            out = Path(args.out).with_suffix(f".{name}.c{conns}.json")
            result = wrk(base + path, out, conns, args.duration, args.warmup if k == 0 else 0,
                         [f"Authorization: Bearer {token}"], pids=args.pid)
            out.unlink(missing_ok=True)
            results["pages"][name]["runs"][str(conns)] = result
            lat = result["latency_us"]
            print(f"  {rows:>7} rows, {name:<5} page, c{conns:<2}: {result['rps']:>5.0f} req/s  "
                  f"p50 {fmt_ms(lat['p50'])} ms  p90 {fmt_ms(lat['p90'])} ms  p99 {fmt_ms(lat['p99'])} ms  "
                  f"errors {sum(result['errors'].values())}  {cpu_per_request(result)}")
    Path(args.out).write_text(json.dumps(results, indent=2))


# ---------------------------------------------------------------------------------------------
# explain: the plans of the listing's two queries, as the server sends them

LIST_SQL = """SELECT images.id, images.owner_id, images.album_id, images.filename, images.content_type,
       images.width, images.height, images.bytes, images.sha256, images.stored_bytes, images.created_at
FROM images WHERE images.owner_id = $1 {after}
ORDER BY images.created_at DESC, images.id DESC LIMIT $2"""


def plan_summary(text):
    """The plan's node lines (no Buffers/Output detail) and its execution time."""
    keep = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(("Buffers:", "Planning:", "Output:")):
            continue
        keep.append(line.rstrip())
    return keep


def cmd_explain(args):
    state = json.loads(Path(args.state).read_text())
    owner = state["user_id"]
    rows = owner_count(args.socket, owner)
    t, i = deep_key(args.socket, owner, rows - 101)
    after = "AND (images.created_at, images.id) < ($3, $4)"
    # A prepared statement as diesel sends it; EXPLAIN EXECUTE with a generic plan (what a
    # long-lived pooled connection ends up using) and with the planner's custom one.
    ids = [r[0] for r in psql_rows(args.socket, f"""SELECT id FROM images WHERE owner_id = '{owner}'
        ORDER BY created_at DESC, id DESC LIMIT 51""")]
    sql = f"""
PREPARE first_page(uuid, bigint) AS {LIST_SQL.format(after="")};
PREPARE deep_page(uuid, bigint, timestamptz, uuid) AS {LIST_SQL.format(after=after)};
PREPARE variants(uuid[]) AS SELECT image_id, size, width, height, bytes, content_type, etag
  FROM image_variants WHERE image_id = ANY($1);
SET plan_cache_mode = force_generic_plan;
\\echo === first page (generic plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE first_page('{owner}', 51);
\\echo === deep page (generic plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE deep_page('{owner}', 51, to_timestamp({t} / 1000000.0), '{i}');
\\echo === variants of a page (generic plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE variants('{{{",".join(ids)}}}');
SET plan_cache_mode = force_custom_plan;
\\echo === deep page (custom plan)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE deep_page('{owner}', 51, to_timestamp({t} / 1000000.0), '{i}');
"""
    out = psql(args.socket, sql, "-A", "-t")
    plans, current = {}, None
    for line in out.splitlines():
        if line.startswith("=== "):
            current = line[4:]
            plans[current] = []
        elif current:
            plans[current].append(line)
    summary = {}
    for name, lines in plans.items():
        text = "\n".join(lines)
        nodes = plan_summary(text)
        indexes = sorted(set(re.findall(r"(?:Index Scan(?: Backward)?|Index Only Scan) using (\w+)", text))
                         | set(re.findall(r"Bitmap Index Scan on (\w+)", text)))
        exec_ms = float(re.search(r"Execution Time: ([\d.]+) ms", text).group(1))
        seq = "Seq Scan" in text
        summary[name] = {"indexes": indexes, "seq_scan": seq, "execution_ms": exec_ms, "plan": nodes}
        print(f"  {name}: {'SEQ SCAN, ' if seq else ''}index {', '.join(indexes) or 'none'}; "
              f"execution {exec_ms:.3f} ms")
        for node in nodes:
            if "Execution Time" in node or "Planning Time" in node:
                continue
            print(f"      {node.strip()[:150]}")
    Path(args.out).write_text(json.dumps({"rows": rows, "plans": summary}, indent=2))


# ---------------------------------------------------------------------------------------------
# uploads: concurrent clients, each posting ~20 MB photos, while the server's RSS is sampled


def proc_status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads"):
                    fields[key] = int(value.split()[0])
    except FileNotFoundError:
        pass
    return fields


class RssSampler(threading.Thread):
    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []  # (t, VmRSS KiB, RssAnon KiB)
        self.peak_threads = 0
        self.stop = threading.Event()

    def run(self):
        t0 = time.monotonic()
        while not self.stop.is_set():
            s = proc_status(self.pid)
            if s:
                self.samples.append((round(time.monotonic() - t0, 3), s.get("VmRSS", 0), s.get("RssAnon", 0)))
                self.peak_threads = max(self.peak_threads, s.get("Threads", 0))
            time.sleep(self.interval)


def cmd_uploads(args):
    state = json.loads(Path(args.state).read_text())
    base, token, album = state["base"], state["token"], state["album_id"]
    photos = sorted(Path(args.photos).glob("load-*.jpg"))
    bodies = []
    for p in photos:
        ctype, body = multipart(p.name, p.read_bytes())
        bodies.append((p.name, p.stat().st_size, ctype, body))
    before = proc_status(args.pid)
    sampler = RssSampler(args.pid)
    results = []
    lock = threading.Lock()
    start_gate = threading.Barrier(args.concurrency)
    deadline = [0.0]

    def client(n):
        start_gate.wait()
        for k in range(args.per_client):
            if time.monotonic() > deadline[0]:
                break
            name, size, ctype, body = bodies[(n + k * args.concurrency) % len(bodies)]
            t = time.monotonic()
            try:
                status, hdrs, data = request(base, "POST", f"/api/v1/albums/{album}/images", body,
                                             {"content-type": ctype, "authorization": f"Bearer {token}"},
                                             timeout=args.timeout)
                retry_after = hdrs.get("retry-after")
                detail = "" if status == 201 else data[:300].decode(errors="replace")
            except Exception as e:  # noqa: BLE001 - a failure is a result here
                status, retry_after, detail = 0, None, repr(e)
            with lock:
                results.append({"client": n, "file": name, "bytes": size, "status": status,
                                "retry_after": retry_after, "seconds": round(time.monotonic() - t, 3),
                                "detail": detail})

    sampler.start()
    time.sleep(0.5)  # a baseline before the burst
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.concurrency)]
    started = time.monotonic()
    deadline[0] = started + args.max_seconds
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - started
    time.sleep(args.settle)  # what the server keeps once the work is done
    sampler.stop.set()
    sampler.join()
    after = proc_status(args.pid)

    statuses = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    created = [r for r in results if r["status"] == 201]
    busy = [r for r in results if r["status"] == 503]
    peak_rss = max((s[1] for s in sampler.samples), default=0)
    peak_anon = max((s[2] for s in sampler.samples), default=0)
    settled = sampler.samples[-1][1] if sampler.samples else 0
    latencies = sorted(r["seconds"] for r in created)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] if latencies else 0

    summary = {
        "concurrency": args.concurrency,
        "attempted": len(results),
        "statuses": statuses,
        "created": len(created),
        "busy_503": len(busy),
        "busy_with_retry_after": sum(1 for r in busy if r["retry_after"]),
        "other_failures": [r for r in results if r["status"] not in (201, 503)][:5],
        "photos": [{"file": n, "bytes": s} for n, s, _, _ in bodies],
        "wall_s": round(wall, 2),
        "images_per_s": round(len(created) / wall, 2),
        "mb_per_s": round(sum(r["bytes"] for r in created) / wall / 1e6, 1),
        "latency_s": {"p50": pct(50), "p90": pct(90), "max": latencies[-1] if latencies else 0},
        "rss_before_mib": round(before.get("VmRSS", 0) / 1024, 1),
        "rss_peak_mib": round(peak_rss / 1024, 1),
        "rss_anon_peak_mib": round(peak_anon / 1024, 1),
        "rss_settled_mib": round(settled / 1024, 1),
        "settle_s": args.settle,
        "vmhwm_mib": round(after.get("VmHWM", 0) / 1024, 1),
        "samples": len(sampler.samples),
        "peak_threads": sampler.peak_threads,
        # the RSS curve, one point a second (max within the second), for the record
        "rss_by_second_mib": [
            round(max(s[1] for s in sampler.samples if int(s[0]) == sec) / 1024)
            for sec in range(int(sampler.samples[-1][0]) + 1) if any(int(s[0]) == sec for s in sampler.samples)
        ] if sampler.samples else [],
        "results": results,
    }
    Path(args.out).write_text(json.dumps(summary, indent=2))
    print(f"  {len(results)} uploads ({args.concurrency} concurrent) in {wall:.1f} s: {statuses}; "
          f"{summary['images_per_s']} images/s, {summary['mb_per_s']} MB/s; "
          f"latency p50 {summary['latency_s']['p50']} s, max {summary['latency_s']['max']} s")
    print(f"  RSS: before {summary['rss_before_mib']} MiB, peak {summary['rss_peak_mib']} MiB "
          f"(anon {summary['rss_anon_peak_mib']}), {args.settle:.0f} s after {summary['rss_settled_mib']} MiB, "
          f"VmHWM {summary['vmhwm_mib']} MiB; {summary['peak_threads']} threads at most")
    if summary["other_failures"]:
        print(f"  failures: {json.dumps(summary['other_failures'])[:600]}")


# ---------------------------------------------------------------------------------------------
# report


def load_json(path):
    p = Path(path)
    return json.loads(p.read_text()) if p.exists() else None


def cmd_report(args):
    out = Path(args.out_dir)
    meta = load_json(out / "machine.json") or {}
    lines = []
    add = lines.append
    add(f"Machine: {meta.get('nproc', '?')} CPUs, {meta.get('cpu', '?')}, {meta.get('mem', '?')}; "
        f"{meta.get('date', '?')}; albumen {meta.get('commit', '?')}, nginx {meta.get('nginx', '?')}, "
        f"wrk {meta.get('wrk', '?')}")
    if meta.get("load_before"):
        add(f"Load average before / after: {meta['load_before']} / {meta.get('load_after', '?')}")
    add("")
    serve = {(n, ka): load_json(out / f"serve-{n}-{ka}.json") for n in ("albumen", "nginx") for ka in ("keepalive", "close")}
    if any(serve.values()):
        s = load_json(out / "state.json") or {}
        add(f"Serving: `large` of {s.get('photo', '?')} ({s.get('large_size', ['?', '?'])[0]}×"
            f"{s.get('large_size', ['?', '?'])[1]}, {s.get('large_bytes', 0) / 1024:.0f} KiB) by signed URL, "
            f"wrk -t2 -c64, {meta.get('serve_duration', '?')} s after {meta.get('warmup', '?')} s warm-up")
        add("")
        add("| connection | server | req/s | MB/s | p50 ms | p90 ms | p99 ms | errors | albumen ÷ nginx |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for ka in ("keepalive", "close"):
            a, n = serve[("albumen", ka)], serve[("nginx", ka)]
            for name, r in (("albumen", a), ("nginx", n)):
                if not r:
                    continue
                lat = r["latency_us"]
                ratio = f"**{a['rps'] / n['rps']:.2f}×**" if (name == "albumen" and a and n) else ""
                add(f"| {'keep-alive' if ka == 'keepalive' else 'close'} | {name} | {r['rps']:.0f} | "
                    f"{r['bytes'] / r['duration_s'] / 1e6:.0f} | {fmt_ms(lat['p50'])} | {fmt_ms(lat['p90'])} | "
                    f"{fmt_ms(lat['p99'])} | {sum(r['errors'].values())} | {ratio} |")
        add("")
    bd = load_json(out / "breakdown.json")
    if bd:
        add("Where albumen's serving time goes (same wrk -t2 -c64 load, shorter runs):")
        add("")
        add("| request | req/s | p50 ms | p99 ms | errors |")
        add("|---|---:|---:|---:|---:|")
        full = serve.get(("albumen", "keepalive"))
        rows_ = [(r["label"], r) for r in bd] + ([("large, whole (the serving run above)", full)] if full else [])
        for label, r in rows_:
            lat = r["latency_us"]
            add(f"| {label} | {r['rps']:.0f} | {fmt_ms(lat['p50'])} | {fmt_ms(lat['p99'])} | {sum(r['errors'].values())} |")
        add("")
    listings = [load_json(p) for p in sorted(out.glob("listing-[0-9].json"))]
    if listings:
        add(f"Listing: GET /api/v1/images?limit=50 with a bearer token, wrk at 1 and "
            f"{listings[0]['connections']} connections, {meta.get('list_duration', '?')} s each after warm-up; "
            f"the deep page is reached by cursor, 100 rows before the end")
        add("")
        add("| user's images (table) | page | conns | req/s | p50 ms | p90 ms | p99 ms | CPU ms/req albumen + postgres | errors |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|")

        def cpu_ms(r):
            c = r.get("cpu_s", {})
            return 1000 * (c.get("albumen", 0) + c.get("postgres", 0)) / max(r["requests"], 1)

        def ratio(big, smalls, page, conns, what):
            def value(x):
                r = x["pages"][page]["runs"][conns]
                return cpu_ms(r) if what == "cpu" else r["latency_us"][what]
            return value(big) / max(sum(value(x) for x in smalls) / len(smalls), 1e-9)

        for x in listings:
            for page in ("first", "deep"):
                for conns, r in x["pages"][page]["runs"].items():
                    lat = r["latency_us"]
                    where = "first" if page == "first" else f"deep (after {x['deep_offset']:,})"
                    add(f"| {x['rows']:,} ({x['table_rows']:,}) | {where} | {conns} | {r['rps']:.0f} | "
                        f"{fmt_ms(lat['p50'])} | {fmt_ms(lat['p90'])} | {fmt_ms(lat['p99'])} | {cpu_ms(r):.2f} | "
                        f"{sum(r['errors'].values())} |")
        big = max(listings, key=lambda x: x["rows"])
        smalls = [x for x in listings if x["rows"] < big["rows"]]
        if smalls:
            add("")
            add(f"{big['rows']:,} rows ÷ {smalls[0]['rows']:,} rows (mean of the {len(smalls)} small runs, before and "
                "after): " + "; ".join(
                    f"{page} c{conns}: p50 {ratio(big, smalls, page, conns, 'p50'):.2f}×, "
                    f"p99 {ratio(big, smalls, page, conns, 'p99'):.2f}×, "
                    f"CPU {ratio(big, smalls, page, conns, 'cpu'):.2f}×"
                    for page in ("first", "deep") for conns in big["pages"][page]["runs"]))
        add("")
    ex = load_json(out / "explain.json")
    if ex:
        add(f"EXPLAIN ANALYZE at {ex['rows']:,} rows:")
        add("")
        for name, p in ex["plans"].items():
            add(f"- {name}: {'Seq Scan! ' if p['seq_scan'] else ''}{', '.join(p['indexes']) or 'no index'}, "
                f"{p['execution_ms']:.3f} ms")
        add("")
    ups = [u for u in (load_json(out / "uploads.json"), load_json(out / "uploads-overload.json")) if u]
    if ups:
        sizes = [p["bytes"] for p in ups[0]["photos"]]
        add(f"Uploads: one ~{sum(sizes) / len(sizes) / 1e6:.0f} MB photo per request ({len(sizes)} distinct "
            f"~27-31 MP JPEGs, {min(sizes) / 1e6:.1f}–{max(sizes) / 1e6:.1f} MB), all clients starting at once; "
            f"the server's RSS sampled every 50 ms; VmHWM reset before each run")
        add("")
        add("| clients × uploads | statuses | 503 (with Retry-After) | wall s | images/s | MB/s | p50 s | max s | "
            "RSS before | peak RSS | VmHWM | RSS 3 s after | ≤ 1 GiB |")
        add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for up in ups:
            ok = "yes" if up["vmhwm_mib"] <= 1024 else "**NO**"
            add(f"| {up['concurrency']} × {up['attempted'] // up['concurrency']} | "
                f"{' '.join(f'{k}×{v}' for k, v in sorted(up['statuses'].items()))} | "
                f"{up['busy_503']} ({up['busy_with_retry_after']}) | {up['wall_s']} | {up['images_per_s']} | "
                f"{up['mb_per_s']} | {up['latency_s']['p50']} | {up['latency_s']['max']} | "
                f"{up['rss_before_mib']:.0f} MiB | {up['rss_peak_mib']:.0f} MiB | {up['vmhwm_mib']:.0f} MiB | "
                f"{up['rss_settled_mib']:.0f} MiB | {ok} |")
        if meta.get("server_env"):
            add("")
            add(f"Server environment for this run: `{meta['server_env']}`")
    z = load_json(out / "zip.json")
    if z:
        add("")
        add(f"ZIP download: an album of {z['images']} originals, {z['archive_bytes'] / (1 << 30):.2f} GiB "
            f"streamed in {z['seconds']} s ({z['mb_per_s']} MB/s); server RSS {z['rss_before_kib'] / 1024:.0f} MiB "
            f"before, peak {z['rss_peak_kib'] / 1024:.0f} MiB, after {z['rss_end_kib'] / 1024:.0f} MiB")
    text = "\n".join(lines)
    (out / "results.md").write_text(text + "\n")
    print(text)


# ---------------------------------------------------------------------------------------------
# zip: an album of ~N GiB (rows by SQL, objects hard links of one real original) downloaded as a
# ZIP while the server's RSS is sampled: the stream must not grow with the archive


def cmd_zip(args):
    state = json.loads(Path(args.state).read_text())
    base, token, owner = state["base"], state["token"], state["user_id"]
    album = api_json(base, "POST", "/api/v1/albums", {"name": "Zip load"}, token=token)["id"]
    source = Path(args.data_dir) / "objects" / "images" / state["image_id"]
    original = (source / "original").stat().st_size
    count = max(1, -(-args.gib * (1 << 30) // original))
    psql(args.socket, f"""
BEGIN;
INSERT INTO images (id, owner_id, album_id, filename, content_type, width, height, bytes, sha256,
                    stored_bytes, created_at)
SELECT md5('albumen-zip-' || i)::uuid, owner_id, '{album}', 'IMG_' || lpad(i::text, 6, '0') || '.jpg',
       content_type, width, height, bytes, sha256, stored_bytes, created_at + make_interval(secs => i)
FROM images, generate_series(1, {count}) AS i WHERE id = '{state["image_id"]}';
INSERT INTO image_variants (image_id, size, width, height, bytes, content_type, etag)
SELECT md5('albumen-zip-' || i)::uuid, size, width, height, bytes, content_type, etag
FROM image_variants, generate_series(1, {count}) AS i WHERE image_id = '{state["image_id"]}';
COMMIT;
""")
    ids = [row[0] for row in psql_rows(args.socket, f"SELECT id FROM images WHERE album_id = '{album}'")]
    for image in ids:
        folder = source.parent / image
        folder.mkdir(exist_ok=True)
        for obj in source.iterdir():
            target = folder / obj.name
            if not target.exists():
                os.link(obj, target)
    print(f"  album of {len(ids)} × {original / 1e6:.1f} MB originals = {len(ids) * original / (1 << 30):.2f} GiB "
          f"(hard links of one file)")
    sampler = RssSampler(args.pid)
    rss_before = proc_status(args.pid).get("VmRSS", 0)
    sampler.start()
    started = time.monotonic()
    received = 0
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    conn.request("GET", f"/api/v1/albums/{album}/download", headers={"authorization": f"Bearer {token}"})
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"download: {response.status} {response.read()[:300]!r}")
    while chunk := response.read(1 << 20):
        received += len(chunk)
    conn.close()
    elapsed = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    rss = [kib for _, kib, _ in sampler.samples] or [rss_before]
    result = {"images": len(ids), "archive_bytes": received, "seconds": round(elapsed, 2),
              "mb_per_s": round(received / elapsed / 1e6, 1), "rss_before_kib": rss_before,
              "rss_peak_kib": max(rss), "rss_end_kib": rss[-1]}
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"  {received / (1 << 30):.2f} GiB in {elapsed:.1f} s ({result['mb_per_s']} MB/s); server RSS "
          f"{rss_before / 1024:.0f} MiB before, peak {max(rss) / 1024:.0f} MiB")
    status, _, _ = request(base, "DELETE", f"/api/v1/albums/{album}?permanent=true",
                           headers={"authorization": f"Bearer {token}"})
    if status != 204:
        raise SystemExit(f"deleting the zip album: {status}")


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("photos")
    p.add_argument("out_dir")
    p.add_argument("corpus")
    p.set_defaults(fn=cmd_photos)

    p = sub.add_parser("setup")
    p.add_argument("--base", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--photo", required=True)
    p.set_defaults(fn=cmd_setup)

    for name, fn in (("serve", cmd_serve), ("listing", cmd_listing), ("breakdown", cmd_breakdown)):
        p = sub.add_parser(name)
        p.add_argument("--state", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--duration", type=int, default=15)
        p.add_argument("--warmup", type=int, default=3)
        p.add_argument("--connections", type=int, default=64)
        p.add_argument("--pid", type=int, action="append", default=[],
                       help="a server process whose CPU time (with its children's) is reported")
        p.set_defaults(fn=fn)
        if name == "serve":
            p.add_argument("--name", required=True)
            p.add_argument("--url", required=True)
            p.add_argument("--close", action="store_true")
        elif name == "listing":
            p.add_argument("--socket", required=True)

    p = sub.add_parser("seed")
    p.add_argument("--state", required=True)
    p.add_argument("--socket", required=True)
    p.add_argument("--total", type=int, required=True)
    p.set_defaults(fn=cmd_seed)

    p = sub.add_parser("unseed")
    p.add_argument("--state", required=True)
    p.add_argument("--socket", required=True)
    p.add_argument("--total", type=int, required=True)
    p.set_defaults(fn=cmd_unseed)

    p = sub.add_parser("explain")
    p.add_argument("--state", required=True)
    p.add_argument("--socket", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_explain)

    p = sub.add_parser("uploads")
    p.add_argument("--state", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--photos", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--per-client", type=int, default=1)
    p.add_argument("--max-seconds", type=float, default=120)
    p.add_argument("--timeout", type=float, default=180)
    p.add_argument("--settle", type=float, default=3)
    p.set_defaults(fn=cmd_uploads)

    p = sub.add_parser("zip")
    p.add_argument("--state", required=True)
    p.add_argument("--socket", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--gib", type=int, default=2)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_zip)

    p = sub.add_parser("report")
    p.add_argument("out_dir")
    p.set_defaults(fn=cmd_report)

    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
