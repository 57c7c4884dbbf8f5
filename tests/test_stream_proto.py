"""The load test's websocket client speaks Streamlit's protocol without importing Streamlit.

``bench/_stream_proto.py`` declares part of Streamlit's protobuf schema by hand. These tests
derive the same part from the installed Streamlit (tests may import it; bench/ may not), so a
Streamlit upgrade that renumbers, retypes or adds what the client relies on fails here; then
they check that messages the client writes are byte for byte Streamlit's, and that it reads
Streamlit's messages (built with Streamlit's own classes) as it should.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import pytest

from bench import _stream_proto
from bench._stream_client import CONTEXT, INCIDENTS_MARK, MAP_READY, StreamClient, date_micros

pytest.importorskip("streamlit")

from streamlit.proto.BackMsg_pb2 import BackMsg as StBackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg as StForwardMsg  # noqa: E402

# --- the declared schema is Streamlit's --------------------------------------------------------

_KINDS = {1: "double", 5: "int32", 8: "bool", 9: "string", 12: "bytes", 13: "uint32", 18: "sint64"}
# fields the client reads or sets, by message (Element, Block, WidgetState, ContextInfo and the
# element types with an id are handled below)
_NEEDED = {
    "ForwardMsg": "hash metadata new_session delta page_info_changed script_finished "
    "session_event page_not_found ref_hash",
    "ForwardMsgMetadata": "cacheable delta_path run",
    "RunIdentity": "script_run_id fragment_ids",
    "NewSession": "page_script_hash config",
    "Config": "max_cached_message_age",
    "PageInfo": "query_string",
    "SessionEvent": "script_compilation_exception",
    "Exception": "type message is_warning",
    "PageNotFound": "",
    "Delta": "new_element add_block fragment_id",
    "Alert": "format body",
    "ButtonGroup.Option": "content",
    "BackMsg": "rerun_script",
    "ClientState": "query_string widget_states page_script_hash fragment_id "
    "cached_message_hashes context_info",
    "WidgetStates": "widgets",
    "DoubleArray": "data",
    "SInt64Array": "data",
    "StringArray": "data",
}
_ALL_FIELDS = {"ContextInfo", "WidgetState"}
# message types declared with their fields; any other is ``Opaque``
_FOLLOWED = {*_NEEDED, *_ALL_FIELDS, "Element", "Block"}
# what the client reads of the widgets it keeps a state for, besides id and form_id
_WIDGET_FIELDS = {
    "Slider": "value default set_value options type",
    "Checkbox": "value default set_value",
    "TextInput": "value default set_value",
    "TextArea": "value default set_value",
    "NumberInput": "value default set_value data_type",
    "MultiSelect": "raw_values options default set_value",
    "ButtonGroup": "raw_values options default set_value",
    "ComponentInstance": "json_args",
}


def _chosen_fields(desc: Any) -> list[Any]:
    name = desc.full_name
    if name == "Element":  # exceptions, alerts and everything with an id (widgets)
        return [
            f
            for f in desc.oneofs_by_name["type"].fields
            if f.name in ("exception", "alert") or "id" in f.message_type.fields_by_name
        ]
    if name == "Block":
        return list(desc.oneofs_by_name["type"].fields)
    if name in _ALL_FIELDS:
        return list(desc.fields)
    if name in _NEEDED:
        return [desc.fields_by_name[n] for n in _NEEDED[name].split()]
    keep = {"id", "form_id", *_WIDGET_FIELDS.get(name, "").split()}
    return [f for f in desc.fields if f.name in keep]


def _expected_tables() -> tuple[dict[str, str], dict[str, str]]:
    """MESSAGES and ENUMS as bench/_stream_proto.py must declare them for this Streamlit."""
    chosen: dict[str, list[Any]] = {}
    todo = [StForwardMsg.DESCRIPTOR, StBackMsg.DESCRIPTOR]
    while todo:
        desc = todo.pop()
        if desc.full_name in chosen:
            continue
        chosen[desc.full_name] = fields = _chosen_fields(desc)
        for f in fields:
            if f.message_type is not None and desc.full_name != "Block":
                sub = f.message_type.full_name
                if desc.full_name == "Element" or sub in {
                    *_NEEDED,
                    *_ALL_FIELDS,
                    "Element",
                    "Block",
                }:
                    todo.append(f.message_type)
    messages, enums = {}, {}
    for name in sorted(chosen):
        items = []
        for f in sorted(chosen[name], key=lambda f: f.number):
            if f.message_type is not None:
                sub = f.message_type.full_name
                type_ = sub if sub in chosen else "Opaque"
            elif f.enum_type is not None:
                type_ = f.enum_type.full_name
                enums[type_] = " ".join(f"{v.name}={v.number}" for v in f.enum_type.values)
            else:
                type_ = _KINDS[f.type]
            oneof = f.containing_oneof
            optional = oneof is not None and oneof.name == f"_{f.name}" and len(oneof.fields) == 1
            mark = ("*" if f.is_repeated else "") + ("?" if optional else "")
            tail = f" |{oneof.name}" if oneof is not None and not optional else ""
            items.append(f"{f.name}={f.number} {mark}{type_}{tail}")
        messages[name] = "; ".join(items)
    messages["Opaque"] = ""
    return messages, dict(sorted(enums.items()))


def _normalized(table: dict[str, str], sep: str) -> dict[str, list[str]]:
    return {k: [s.strip() for s in v.split(sep) if s.strip()] for k, v in table.items()}


def test_declared_schema_is_streamlits() -> None:
    messages, enums = _expected_tables()
    if _normalized(_stream_proto.MESSAGES, ";") != _normalized(messages, ";") or _normalized(
        _stream_proto.ENUMS, " "
    ) != _normalized(enums, " "):
        listing = "\n".join(f"    {k!r}: {v!r}," for k, v in messages.items())
        listing += "\n\n" + "\n".join(f"    {k!r}: {v!r}," for k, v in enums.items())
        pytest.fail(f"bench/_stream_proto.py differs from this Streamlit; declare:\n{listing}")


def test_parse_fields_reads_the_table_syntax() -> None:
    assert _stream_proto.parse_fields(
        "id=1 string; value=10 *double; x=3 ?int32; e=4 Element |t"
    ) == [
        ("id", 1, "string", False, False, ""),
        ("value", 10, "double", True, False, ""),
        ("x", 3, "int32", False, True, ""),
        ("e", 4, "Element", False, False, "t"),
    ]


# --- the client against Streamlit's own classes ------------------------------------------------


class _FakeSocket:
    """Records what the client writes; answers with prepared ForwardMsg bytes."""

    def __init__(self, replies: list[bytes]) -> None:
        self.replies = list(replies)
        self.written: list[bytes] = []

    async def write_message(self, data: bytes, binary: bool = False) -> None:
        assert binary
        self.written.append(data)

    async def read_message(self) -> bytes | None:
        return self.replies.pop(0) if self.replies else None


def _fwd(**fields: Any) -> StForwardMsg:
    msg = StForwardMsg(**fields)
    msg.metadata.run.script_run_id = "run-1"
    return msg


def _element(path: list[int], kind: str, fragment: str = "", **fields: Any) -> bytes:
    msg = _fwd()
    msg.metadata.delta_path.extend(path)
    msg.delta.fragment_id = fragment
    getattr(msg.delta.new_element, kind).MergeFrom(
        type(getattr(msg.delta.new_element, kind))(**fields)
    )
    return msg.SerializeToString()


def _page() -> list[bytes]:
    """One script run as Streamlit sends it: a session, a popover, widgets, the map, the end."""
    session = _fwd()
    session.new_session.page_script_hash = "page-hash"
    session.new_session.config.max_cached_message_age = 5
    info = _fwd()
    info.page_info_changed.query_string = "window=week&date=2024-03-01"
    popover = _fwd()
    popover.metadata.delta_path.extend([0, 9])
    popover.delta.add_block.popover.label = "More"
    args = json.dumps({"html": INCIDENTS_MARK + json.dumps({"features": [{}, {}, {}]})})
    finished = _fwd(script_finished=StForwardMsg.FINISHED_SUCCESSFULLY)
    return [
        session.SerializeToString(),
        info.SerializeToString(),
        popover.SerializeToString(),
        _element(
            [0, 1],
            "slider",
            "frag-1",
            id="$$ID-a-dl_date",
            default=[_micros(1)],
            value=[_micros(2)],
            set_value=True,
        ),
        _element([0, 2], "checkbox", id="$$ID-b-dl_show", default=True),
        _element([0, 3], "text_input", id="$$ID-c-dl_text", default="kharkiv"),
        _element([0, 4], "number_input", id="$$ID-d-dl_n", default=3.0, data_type=0),
        _element([0, 5], "multiselect", id="$$ID-e-dl_types", default=[1], options=["A", "B"]),
        _element([0, 9, 0], "selectbox", id="$$ID-f-dl_hidden"),  # inside the popover
        _element([0, 6], "button", id="$$ID-g-dl_go"),
        _element([0, 7], "component_instance", "frag-1", id="$$ID-h-map", json_args=args),
        _element([0, 8], "alert", body="boom", format=1),
        finished.SerializeToString(),
    ]


def _micros(day: int) -> float:
    """A date slider's value for a day of March 2024."""
    return date_micros(date(2024, 3, day))


def test_client_reads_streamlits_messages() -> None:
    client = StreamClient("http://127.0.0.1:1")
    client.ws = _FakeSocket(_page())
    run = asyncio.run(client.rerun(query_string="window=week&date=2024-03-01", first=True))
    assert run.status == StForwardMsg.FINISHED_SUCCESSFULLY and run.messages == 13
    assert run.markers == 3 and run.map_s is not None and run.done_s is not None
    assert str(run.slider_day) == "2024-03-02"
    assert run.errors == ["error on the page: boom"]
    assert (client.page_hash, client.max_cache_age) == ("page-hash", 5)
    assert client.query_string == "window=week&date=2024-03-01"
    assert client.map_id == "$$ID-h-map" and client.fragment_of("dl_date") == "frag-1"
    assert client.widgets["$$ID-f-dl_hidden"].hidden  # in a popover: never sent
    assert "$$ID-g-dl_go" in client.widgets  # a button is on the page, with no state
    states = {wid: s.WhichOneof("value") for wid, s in client.values.items()}
    assert states == {
        "$$ID-a-dl_date": "double_array_value",
        "$$ID-b-dl_show": "bool_value",
        "$$ID-c-dl_text": "string_value",
        "$$ID-d-dl_n": "int_value",
        "$$ID-e-dl_types": "string_array_value",
    }
    assert list(client.values["$$ID-a-dl_date"].double_array_value.data) == [_micros(2)]
    assert list(client.values["$$ID-e-dl_types"].string_array_value.data) == ["B"]


def test_client_writes_streamlits_bytes() -> None:
    client = StreamClient("http://127.0.0.1:1")
    client.ws = _FakeSocket(_page())
    asyncio.run(client.rerun(query_string="window=week&date=2024-03-01", first=True))
    opening = client.ws.written[0]
    client.set_value("dl_date", double_array_value=[_micros(5)])
    client.set_component_value(client.map_id, MAP_READY)
    # what the next rerun must carry, before the run's replies update the client
    states = [
        s.SerializeToString()
        for wid, s in client.values.items()
        if wid in client.widgets and not client.widgets[wid].hidden
    ]
    client.ws = _FakeSocket(_page())
    asyncio.run(client.rerun(fragment="frag-1"))
    sent = client.ws.written[0]

    first = StBackMsg()
    first.rerun_script.query_string = "window=week&date=2024-03-01"
    first.rerun_script.widget_states.SetInParent()
    expected = StBackMsg()
    cs = expected.rerun_script
    cs.query_string = "window=week&date=2024-03-01"
    cs.page_script_hash = "page-hash"
    for state in states:  # the client's widget states, read back by Streamlit's class
        cs.widget_states.widgets.add().ParseFromString(state)
    cs.fragment_id = "frag-1"
    for msg in (first, expected):
        for name, value in CONTEXT.items():
            setattr(msg.rerun_script.context_info, name, value)
        msg.rerun_script.context_info.url = "http://127.0.0.1:1/"
        msg.rerun_script.context_info.is_embedded = False
    assert opening == first.SerializeToString()
    assert sent == expected.SerializeToString()
    parsed = {s.id: s for s in StBackMsg.FromString(sent).rerun_script.widget_states.widgets}
    assert json.loads(parsed["$$ID-h-map"].json_value) == MAP_READY
    assert list(parsed["$$ID-a-dl_date"].double_array_value.data) == [_micros(5)]
    assert parsed["$$ID-d-dl_n"].int_value == 3 and parsed["$$ID-b-dl_show"].bool_value
    assert "$$ID-f-dl_hidden" not in parsed and "$$ID-g-dl_go" not in parsed
