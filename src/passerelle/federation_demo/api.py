"""A node's officers' API as one user sees it: ``/api/v1`` with a bearer token.

:class:`NodeApi` makes the calls the demo needs (an inspection, alerts,
follow-ups, the audit trail) with ``httpx`` and returns the JSON answers;
an answer other than 2xx raises :class:`ApiRefused` with the status and the
node's ``detail``. No proxy from the environment is used: the nodes are on
loopback.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from passerelle.exc import PasserelleError

__all__ = ["ApiRefused", "NodeApi"]


class ApiRefused(PasserelleError):
    """The node's API answered an error (``status``, ``detail``)."""

    def __init__(self, call: str, status: int, detail: str) -> None:
        super().__init__(f"{call}: {status} {detail}")
        self.call, self.status, self.detail = call, status, detail


class NodeApi:
    """One user's client of a node's API (``base_url`` like ``http://127.0.0.1:8000``)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> NodeApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **options: Any) -> Any:
        response = self._http.request(method, path, **options)
        if response.is_success:
            return response.json()
        try:
            detail = str(response.json().get("detail", response.text))
        except ValueError:
            detail = response.text[:500]
        raise ApiRefused(f"{method} {path}", response.status_code, detail)

    def inspect(
        self,
        mrz: str,
        *,
        live_photo: bytes | None = None,
        fingerprints: tuple[tuple[int, bytes], ...] = (),
        crossing_point: str = "BRU-ZAV",
        direction: str = "entry",
    ) -> dict[str, Any]:
        """``POST /inspections``: the border check, partners asked (``federation: true``);
        ``fingerprints``: (ISO position, image) of each finger captured."""
        body: dict[str, Any] = {
            "mrz": mrz,
            "purpose": "border control: entry check (federation demo)",
            "crossing_point": crossing_point,
            "direction": direction,
            "federation": True,
        }
        if live_photo is not None:
            body["live_photo"] = base64.b64encode(live_photo).decode("ascii")
        if fingerprints:
            body["fingerprints"] = [
                {"position": position, "image": base64.b64encode(image).decode("ascii")}
                for position, image in fingerprints
            ]
        result: dict[str, Any] = self._call("POST", "/inspections", json=body)
        return result

    def issue_alert(self, alert: dict[str, Any]) -> dict[str, Any]:
        """``POST /alerts``: issue an alert (an analyst)."""
        result: dict[str, Any] = self._call("POST", "/alerts", json=alert)
        return result

    def withdraw_alert(self, alert_id: str, reason: str) -> dict[str, Any]:
        """``POST /alerts/{id}/withdraw``."""
        result: dict[str, Any] = self._call(
            "POST", f"/alerts/{alert_id}/withdraw", json={"reason": reason}
        )
        return result

    def request_follow_up(self, reference: str, justification: str) -> dict[str, Any]:
        """``POST /federation/followups``: ask the partner behind ``reference`` for its record."""
        body = {"reference": reference, "justification": justification}
        result: dict[str, Any] = self._call("POST", "/federation/followups", json=body)
        return result

    def follow_ups(self, direction: str) -> list[dict[str, Any]]:
        """``GET /federation/followups?direction=incoming|outgoing``."""
        answer = self._call("GET", "/federation/followups", params={"direction": direction})
        followups: list[dict[str, Any]] = answer["followups"]
        return followups

    def follow_up(self, direction: str, followup_id: str) -> dict[str, Any] | None:
        """One follow-up of ``direction`` by id, or None."""
        return next((f for f in self.follow_ups(direction) if f["id"] == followup_id), None)

    def approve_follow_up(self, followup_id: str, note: str | None = None) -> dict[str, Any]:
        """``POST /federation/followups/{id}/approve``: release the record to the asker."""
        result: dict[str, Any] = self._call(
            "POST", f"/federation/followups/{followup_id}/approve", json={"note": note}
        )
        return result

    def audit(self, action: str | None = None, *, limit: int = 100) -> list[dict[str, Any]]:
        """``GET /audit?action=...``: the audit records (of ``action``), newest first (an
        auditor)."""
        params: dict[str, str | int] = {"limit": limit}
        if action is not None:
            params["action"] = action
        answer = self._call("GET", "/audit", params=params)
        records: list[dict[str, Any]] = answer["records"]
        return records
