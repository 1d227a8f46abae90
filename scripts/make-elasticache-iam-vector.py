#!/usr/bin/env python3
"""Writes the ElastiCache IAM auth token test vector from botocore, offline.

The tokens come from botocore's own SigV4 query-string presigner (the one boto3 and the
AWS CLI use), so test/cache/elasticache-iam-token.test.ts checks our TypeScript signer
against an independent implementation rather than against itself. No network, no real
credentials: the keys are AWS's documented examples and the signing time is fixed.

Usage (from the repository root):
    python3 scripts/make-elasticache-iam-vector.py > test/cache/fixtures/elasticache-iam-vector.json
"""

import contextlib
import datetime
import json
import sys
import types
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EXPIRES_SECS = 900
SIGNING_DATE = datetime.datetime(2026, 11, 23, 18, 0, 0)  # naive UTC, as botocore uses it

ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# Shaped like a real STS session token: base64 with '+', '/' and '=' that must be escaped.
SESSION_TOKEN = (
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+EXAMPLE+token/"
    "with+slashes/and=padding=="
)

CASES = [
    {
        "name": "replication group, long-term keys",
        "cacheName": "token-bridge-cache",
        "userId": "token-bridge",
        "serverless": False,
        "region": "us-east-1",
        "sessionToken": None,
    },
    {
        "name": "replication group, session credentials",
        "cacheName": "token-bridge-cache",
        "userId": "token-bridge",
        "serverless": False,
        "region": "us-east-1",
        "sessionToken": SESSION_TOKEN,
    },
    {
        "name": "serverless cache, long-term keys",
        "cacheName": "token-bridge-serverless",
        "userId": "bridge-iam-user",
        "serverless": True,
        "region": "ap-southeast-2",
        "sessionToken": None,
    },
    {
        "name": "serverless cache, session credentials",
        "cacheName": "token-bridge-serverless",
        "userId": "bridge-iam-user",
        "serverless": True,
        "region": "ap-southeast-2",
        "sessionToken": SESSION_TOKEN,
    },
]


@contextlib.contextmanager
def fixed_signing_time(moment):
    """Makes botocore's SigV4 signer read `moment` as the current time.

    botocore >= 1.31 asks botocore.auth.get_current_datetime(); older releases (Debian's
    1.29) call datetime.datetime.utcnow() through the module's own `datetime` name.
    """
    if hasattr(botocore.auth, "get_current_datetime"):
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
            yield
        return

    class FixedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return moment

    fake_module = types.SimpleNamespace(**vars(datetime))
    fake_module.datetime = FixedDatetime
    with mock.patch.object(botocore.auth, "datetime", fake_module):
        yield


def presign(case):
    """The token for one case: botocore's presigned URL without the `http://` prefix."""
    credentials = Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, case["sessionToken"])
    params = {"Action": "connect", "User": case["userId"]}
    if case["serverless"]:
        params["ResourceType"] = "ServerlessCache"
    request = AWSRequest(method="GET", url=f"http://{case['cacheName']}/", params=params)
    signer = botocore.auth.SigV4QueryAuth(credentials, "elasticache", case["region"], expires=EXPIRES_SECS)
    with fixed_signing_time(SIGNING_DATE):
        signer.add_auth(request)
    prefix = "http://"
    if not request.url.startswith(prefix):
        raise SystemExit(f"unexpected presigned URL scheme: {request.url}")
    return request.url[len(prefix):]


def main():
    cases = []
    for case in CASES:
        credentials = {"accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_ACCESS_KEY}
        if case["sessionToken"] is not None:
            credentials["sessionToken"] = case["sessionToken"]
        cases.append(
            {
                "name": case["name"],
                "cacheName": case["cacheName"],
                "userId": case["userId"],
                "serverless": case["serverless"],
                "region": case["region"],
                "credentials": credentials,
                "signingDate": SIGNING_DATE.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "expiresSecs": EXPIRES_SECS,
                "token": presign(case),
            }
        )
    vector = {
        "generator": "scripts/make-elasticache-iam-vector.py",
        "botocore": botocore.__version__,
        "cases": cases,
    }
    json.dump(vector, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
