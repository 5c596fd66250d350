#!/usr/bin/env python3
"""Plays an OpenAI Batch API request file against an OpenAI-compatible server, the way
`vllm run-batch` does: POSTs each line's `body` to BASE_URL + `url` and writes one result line per
request in the Batch output format:

  {"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error": null}

A request that cannot reach the server gets `"response": null, "error": {"code", "message"}`.
Standard library only. Used by crates/abridge-cli/tests/handoff_server.rs with llama.cpp's server.

usage: run-batch.py BASE_URL REQUESTS.jsonl RESULTS.jsonl [--timeout SECS]
"""
import json
import sys
import urllib.error
import urllib.request


def main() -> int:
    args = sys.argv[1:]
    timeout = 600.0
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = float(args[i + 1])
        del args[i : i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, requests_path, results_path = args
    base = base.rstrip("/")
    with open(requests_path, encoding="utf-8") as requests, open(
        results_path, "w", encoding="utf-8"
    ) as results:
        for n, line in enumerate(requests, 1):
            if not line.strip():
                continue
            request = json.loads(line)
            out = {"id": f"batch_req_{n}", "custom_id": request["custom_id"]}
            http = urllib.request.Request(
                base + request["url"],
                data=json.dumps(request["body"]).encode("utf-8"),
                headers={"Content-Type": "application/json"},
                method=request.get("method", "POST"),
            )
            try:
                with urllib.request.urlopen(http, timeout=timeout) as answer:
                    status, body = answer.status, json.loads(answer.read())
            except urllib.error.HTTPError as e:
                status, body = e.code, json.loads(e.read() or b"{}")
            except (urllib.error.URLError, OSError) as e:
                out.update(response=None, error={"code": "connection", "message": str(e)})
                results.write(json.dumps(out) + "\n")
                continue
            out["response"] = {
                "status_code": status,
                "request_id": f"req_{n}",
                "body": body,
            }
            out["error"] = None
            results.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
