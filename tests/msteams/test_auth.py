"""Bot Framework JWT auth as the SDK does it: no valid token, 401, and nothing changes.

The app runs with its app id and without the local-testing switch. The
connector's OpenID keys are served by the fake connector (the SDK's ``cloud``
option points there), so a token signed by another key is refused by the
SDK's real validation, and a correctly signed one is let through.
"""

from __future__ import annotations

import dataclasses
import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_teams.api.auth.cloud_environment import PUBLIC

from .conftest import APP_ID, SECRETARIAT, Harness

ISSUER = "https://api.botframework.com"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, object]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


def _token(key: rsa.RSAPrivateKey, kid: str, service_url: str) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": APP_ID,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "serviceurl": service_url,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def _start(make_teams, fake):  # type: ignore[no-untyped-def]
    cloud = dataclasses.replace(PUBLIC, openid_metadata_url=f"{fake.url}/openidconfiguration")
    return make_teams(authenticated=True, cloud=cloud)


def _count_handled(teams: Harness) -> int:
    with teams.store() as store:
        return store.db.execute("SELECT count(*) FROM chat_deliveries").fetchone()[0]


def test_unsigned_activity_gets_401_and_changes_nothing(make_teams, fake) -> None:  # type: ignore[no-untyped-def]
    teams: Harness = _start(make_teams, fake)
    activity = {**teams.base(SECRETARIAT), "type": "message", "text": "状況"}
    assert teams.post(activity).status_code == 401
    assert teams.post(activity, {"Authorization": "Bearer not-a-jwt"}).status_code == 401
    assert fake.sent() == []
    assert _count_handled(teams) == 0


def test_wrongly_signed_activity_gets_401(make_teams, fake) -> None:  # type: ignore[no-untyped-def]
    teams: Harness = _start(make_teams, fake)
    trusted, forger = _key(), _key()
    fake.jwks = {"keys": [_jwk(trusted, "k1")]}
    activity = {**teams.base(SECRETARIAT), "type": "message", "text": "状況"}
    forged = _token(forger, "k1", fake.url)  # the right key id, the wrong key
    assert teams.post(activity, {"Authorization": f"Bearer {forged}"}).status_code == 401
    assert fake.sent() == []
    assert _count_handled(teams) == 0


def test_correctly_signed_activity_is_handled(make_teams, fake) -> None:  # type: ignore[no-untyped-def]
    teams: Harness = _start(make_teams, fake)
    trusted = _key()
    fake.jwks = {"keys": [_jwk(trusted, "k1")]}
    activity = {**teams.base(SECRETARIAT), "type": "message", "text": "状況"}
    token = _token(trusted, "k1", fake.url)
    assert teams.post(activity, {"Authorization": f"Bearer {token}"}).status_code == 200
    assert "確認事項 計" in json.dumps(teams.personal(SECRETARIAT), ensure_ascii=False)
