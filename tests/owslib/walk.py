"""Walks the OGC API as a researcher would with OWSLib: landing page,
conformance, collections, queryables, a filtered items request and one item.

Usage: walk.py BASE_URL REQUEST_JSON. REQUEST_JSON says what to ask for
(collection, bbox, datetime, filter, and a status_on query); the script
prints what OWSLib got back as one JSON object, and the Rust test
(tests/it/ogc.rs) compares it with counts it computes from the data.
"""

import json
import sys

from owslib.ogcapi.features import Features


def main():
    base, request = sys.argv[1], json.loads(sys.argv[2])
    # OWSLib asks for the landing page with a trailing slash (BASE/ogc/).
    api = Features(base + "/ogc", timeout=20)
    out = {
        "landing_links": sorted(link["rel"] for link in api.links),
        "conformance": api.conformance()["conformsTo"],
        "collections": api.feature_collections(),
    }
    coll = request["collection"]
    queryables = api.collection_queryables(coll)
    out["queryables"] = sorted(queryables["properties"])
    items = api.collection_items(
        coll,
        bbox=request["bbox"],
        datetime_=request["datetime"],
        filter=request["filter"],
        limit=1000,
    )
    out["items_matched"] = items["numberMatched"]
    out["items_ids"] = [f["id"] for f in items["features"]]
    if items["features"]:
        one = api.collection_item(coll, items["features"][0]["id"])
        out["item_id"] = one["id"]
    status = request["status"]
    held = api.collection_items(
        status["collection"],
        status_on=status["day"],
        status=status["status"],
        limit=1000,
    )
    out["status_matched"] = held["numberMatched"]
    out["status_ids"] = [f["id"] for f in held["features"]]
    print(json.dumps(out))


main()
