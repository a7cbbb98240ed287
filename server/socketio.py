"""Rasa's socket.io channel, fixed for the python-socketio 5.x that Rasa 3.6 installs.

The base of ``server.channels.FailSafeSocketIOInput`` (credentials.yml): same
settings, same ``/socket.io`` path. Two fixes over the built-in channel:

- ``AsyncServer.enter_room`` is a coroutine in python-socketio 5.x; the
  built-in channel does not await it, so with ``session_persistence`` the
  client never joins its session's room and never receives a reply.
- A custom payload (``json_message``) is emitted as keyword arguments of
  ``AsyncServer.emit``, which raises ``TypeError`` for anything but ``data``
  and ends the turn unsaved. Here it is sent as ``{"custom": {...}}``, the
  shape the REST channel uses.

Hardening over the built-in channel (which passes ``cors_allowed_origins=[]``,
i.e. no origin check at all):

- Browsers on other sites are refused: only the origins of ``ALLOWED_ORIGINS``
  (server/origins.py) may connect.
- The per-IP rate limit (server/rate_limit.py) counts connections and messages:
  over it a connection is refused, a message answered politely and not handled.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from socketio import exceptions as socketio_errors

from server.log_format import adopt_library_loggers
from server.origins import OriginCheck
from server.rate_limit import limits

logger = logging.getLogger(__name__)


class SocketIOOutput(socketio.SocketIOOutput):
    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(socketio.SocketIOInput):
    def get_output_channel(self) -> SocketIOOutput | None:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        adopt_library_loggers()  # socket.io's loggers exist by now: see server/log_format.py
        # Engine.IO refuses a handshake from a foreign Origin with a 400.
        sio.eio.cors_allowed_origins = OriginCheck()
        rasa_connect = sio.handlers[self.namespace or "/"]["connect"]

        def client_ip(environ: dict[str, Any] | None) -> str:
            request = (environ or {}).get("sanic.request")
            peer = getattr(request, "ip", "") or ""
            return limits().client_ip(peer, (environ or {}).get("HTTP_X_FORWARDED_FOR"))

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            if not await limits().allow_ip(client_ip(environ)):
                # The widget shows its offline notice, with the clinic's phone number.
                raise socketio_errors.ConnectionRefusedError(limits().answer)
            return await rasa_connect(sid, environ, auth)

        # Registering a handler again replaces the built-in one.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and requested else None
            session_id = session_id or uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                logger.warning("Ignored a socket.io message that is not an object.")
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not sender_id or not isinstance(sender_id, str):
                    logger.warning("Ignored a socket.io message without a session_id.")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            environ = sio.get_environ(sid, namespace=self.namespace)
            if not await limits().allow_ip(client_ip(environ)):
                output = SocketIOOutput(sio, self.bot_message_evt)
                await output.send_text_message(sender_id, limits().answer)
                return
            text = data.get("message", "")
            message = UserMessage(
                text if isinstance(text, str) else "",
                SocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return blueprint
