"""Streamlit's websocket messages, declared with the ``protobuf`` package alone.

The load test's client (:mod:`bench._stream_client`) reads ``ForwardMsg`` and writes
``BackMsg`` as the browser does, and bench/ must not import Streamlit. This module declares the
part of Streamlit's schema (pinned: streamlit 1.67.0) that the client touches, with Streamlit's
own message names, field names and numbers, and builds the message classes from it at import.
Protobuf keeps the fields a declaration leaves out as unknown fields, so a message decodes the
same whatever else it carries; a written message holds only declared fields, so its bytes are
the ones Streamlit's classes would write.

What is declared: every field the client reads or sets; each ``Element`` type that has an
``id`` (with its ``form_id``), because the client tracks every widget on the page; and every
``Block`` type, so that a popover or a form is told from other containers. Message fields the
client never looks into have the empty type ``Opaque``. ``tests/test_stream_proto.py`` derives
the same table from the installed Streamlit and fails when the two differ (for instance after
a Streamlit upgrade), printing the table to paste here.

Table syntax, per message: ``name=number type`` fields separated by ``;``; a type is a scalar
(``string``, ``bool``, ``double``, ``int32``, ``uint32``, ``sint64``, ``bytes``), a message or an
enum of the table; ``*`` marks a repeated field, ``?`` a proto3 ``optional`` one (it has
presence), and `` |name`` the oneof the field belongs to.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["ENUMS", "MESSAGES", "BackMsg", "ForwardMsg", "WidgetState", "parse_fields"]

_PACKAGE = "dateline.bench.stream"

#: Message name (nested ones as ``Outer.Inner``) → its declared fields (syntax above).
MESSAGES: dict[str, str] = {
    "Alert": "body=1 string; format=2 Alert.Format",
    "Audio": "id=9 string",
    "AudioInput": "id=1 string; form_id=4 string",
    "BackMsg": "rerun_script=11 ClientState |type",
    "BidiComponent": "id=1 string; form_id=5 string",
    "Block": (
        "vertical=1 Opaque |type; horizontal=2 Opaque |type; column=3 Opaque |type; "
        "expandable=4 Opaque |type; form=5 Opaque |type; tab_container=6 Opaque |type; "
        "tab=7 Opaque |type; chat_message=9 Opaque |type; popover=10 Opaque |type; "
        "dialog=11 Opaque |type; flex_container=13 Opaque |type; transparent=17 Opaque |type; "
        "grid_container=19 Opaque |type"
    ),
    "Button": "id=1 string; form_id=5 string",
    "ButtonGroup": (
        "id=1 string; options=2 *ButtonGroup.Option; default=3 *uint32; form_id=6 string; "
        "set_value=8 bool; raw_values=14 *string"
    ),
    "ButtonGroup.Option": "content=1 string",
    "CameraInput": "id=1 string; form_id=4 string",
    "ChatInput": "id=1 string",
    "Checkbox": "id=1 string; default=3 bool; form_id=5 string; value=6 bool; set_value=7 bool",
    "ClientState": (
        "query_string=1 string; widget_states=2 WidgetStates; page_script_hash=3 string; "
        "fragment_id=5 string; cached_message_hashes=7 *string; context_info=8 ContextInfo"
    ),
    "ColorPicker": "id=1 string; form_id=5 string",
    "ComponentInstance": "id=1 string; json_args=2 string; form_id=6 string",
    "Config": "max_cached_message_age=3 int32",
    "ContextInfo": (
        "timezone=1 ?string; timezone_offset=2 ?int32; locale=3 ?string; url=4 ?string; "
        "is_embedded=5 ?bool; color_scheme=6 ?string"
    ),
    "Dataframe": "id=2 string; form_id=6 string",
    "DateInput": "id=1 string; form_id=8 string",
    "DateTimeInput": "id=1 string; form_id=7 string",
    "DeckGlJsonChart": "id=5 string; form_id=10 string",
    "Delta": "new_element=3 Element |type; add_block=6 Block |type; fragment_id=8 string",
    "DoubleArray": "data=1 *double",
    "DownloadButton": "id=1 string; form_id=5 string",
    "EChartsChart": "id=3 string; form_id=4 string",
    "Element": (
        "exception=8 Exception |type; audio=13 Audio |type; video=14 Video |type; "
        "plotly_chart=16 PlotlyChart |type; button=19 Button |type; checkbox=20 Checkbox |type; "
        "slider=21 Slider |type; text_area=22 TextArea |type; radio=23 Radio |type; "
        "text_input=24 TextInput |type; selectbox=25 Selectbox |type; "
        "time_input=26 TimeInput |type; date_input=27 DateInput |type; "
        "multiselect=28 MultiSelect |type; alert=30 Alert |type; "
        "number_input=32 NumberInput |type; file_uploader=33 FileUploader |type; "
        "deck_gl_json_chart=34 DeckGlJsonChart |type; color_picker=35 ColorPicker |type; "
        "component_instance=37 ComponentInstance |type; dataframe=40 Dataframe |type; "
        "vega_lite_chart=41 VegaLiteChart |type; download_button=43 DownloadButton |type; "
        "camera_input=45 CameraInput |type; chat_input=49 ChatInput |type; "
        "link_button=51 LinkButton |type; button_group=55 ButtonGroup |type; "
        "audio_input=56 AudioInput |type; bidi_component=59 BidiComponent |type; "
        "date_time_input=62 DateTimeInput |type; feedback=63 Feedback |type; "
        "menu_button=64 MenuButton |type; pagination=66 Pagination |type; "
        "echarts_chart=67 EChartsChart |type"
    ),
    "Exception": "type=1 string; message=2 string; is_warning=5 bool",
    "Feedback": "id=1 string; form_id=5 string",
    "FileUploader": "id=1 string; form_id=8 string",
    "ForwardMsg": (
        "hash=1 string; metadata=2 ForwardMsgMetadata; new_session=4 NewSession |type; "
        "delta=5 Delta |type; script_finished=6 ForwardMsg.ScriptFinishedStatus |type; "
        "session_event=10 SessionEvent |type; ref_hash=11 string |type; "
        "page_info_changed=12 PageInfo |type; page_not_found=15 PageNotFound |type"
    ),
    "ForwardMsgMetadata": "cacheable=1 bool; delta_path=2 *uint32; run=6 RunIdentity",
    "LinkButton": "id=1 string",
    "MenuButton": "id=1 string",
    "MultiSelect": (
        "id=1 string; default=3 *int32; options=4 *string; form_id=6 string; set_value=8 bool; "
        "raw_values=14 *string"
    ),
    "NewSession": "config=6 Config; page_script_hash=9 string",
    "NumberInput": (
        "id=1 string; form_id=3 string; data_type=13 NumberInput.DataType; default=14 ?double; "
        "value=19 ?double; set_value=20 bool"
    ),
    "PageInfo": "query_string=1 string",
    "PageNotFound": "",
    "Pagination": "id=1 string; form_id=6 string",
    "PlotlyChart": "id=7 string; form_id=9 string",
    "Radio": "id=1 string; form_id=6 string",
    "RunIdentity": "script_run_id=1 string; fragment_ids=2 *string",
    "SInt64Array": "data=1 *sint64",
    "Selectbox": "id=1 string; form_id=6 string",
    "SessionEvent": "script_compilation_exception=3 Exception |type",
    "Slider": (
        "id=1 string; form_id=2 string; default=6 *double; value=10 *double; set_value=11 bool; "
        "options=13 *string; type=17 Slider.Type"
    ),
    "StringArray": "data=1 *string",
    "TextArea": (
        "id=1 string; default=3 ?string; form_id=7 string; value=8 ?string; set_value=9 bool"
    ),
    "TextInput": (
        "id=1 string; default=3 ?string; form_id=7 string; value=8 ?string; set_value=9 bool"
    ),
    "TimeInput": "id=1 string; form_id=5 string",
    "VegaLiteChart": "id=7 string; form_id=9 string",
    "Video": "id=12 string",
    "WidgetState": (
        "id=1 string; trigger_value=2 bool |value; bool_value=3 bool |value; "
        "double_value=4 double |value; int_value=5 sint64 |value; string_value=6 string |value; "
        "double_array_value=7 DoubleArray |value; int_array_value=8 SInt64Array |value; "
        "string_array_value=9 StringArray |value; json_value=10 string |value; "
        "arrow_value=11 Opaque |value; bytes_value=12 bytes |value; "
        "file_uploader_state_value=13 Opaque |value; string_trigger_value=14 Opaque |value; "
        "chat_input_value=15 Opaque |value; json_trigger_value=16 string |value"
    ),
    "WidgetStates": "widgets=1 *WidgetState",
    "Opaque": "",
}

#: Enum name (nested in its message) → its values, ``NAME=number`` separated by spaces.
ENUMS: dict[str, str] = {
    "Alert.Format": "UNUSED=0 ERROR=1 WARNING=2 INFO=3 SUCCESS=4",
    "ForwardMsg.ScriptFinishedStatus": (
        "FINISHED_SUCCESSFULLY=0 FINISHED_WITH_COMPILE_ERROR=1 FINISHED_EARLY_FOR_RERUN=2 "
        "FINISHED_FRAGMENT_RUN_SUCCESSFULLY=3"
    ),
    "NumberInput.DataType": "INT=0 FLOAT=1",
    "Slider.Type": "UNSPECIFIED=0 SLIDER=1 SELECT_SLIDER=2",
}

_SCALARS = {
    "double": descriptor_pb2.FieldDescriptorProto.TYPE_DOUBLE,
    "int32": descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
    "bool": descriptor_pb2.FieldDescriptorProto.TYPE_BOOL,
    "string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
    "bytes": descriptor_pb2.FieldDescriptorProto.TYPE_BYTES,
    "uint32": descriptor_pb2.FieldDescriptorProto.TYPE_UINT32,
    "sint64": descriptor_pb2.FieldDescriptorProto.TYPE_SINT64,
}


def parse_fields(spec: str) -> list[tuple[str, int, str, bool, bool, str]]:
    """The fields of one :data:`MESSAGES` entry.

    Parameters
    ----------
    spec
        e.g. ``"id=1 string; value=10 *double; new_element=3 Element |type"``.

    Returns
    -------
    list of tuple
        ``(name, number, type, repeated, optional, oneof)`` per field, in the order given;
        ``oneof`` is ``""`` outside a oneof.
    """
    out = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        name_number, type_, *rest = item.split()
        name, number = name_number.split("=")
        repeated, optional = type_.startswith("*"), type_.startswith("?")
        oneof = rest[0].removeprefix("|") if rest else ""
        out.append((name, int(number), type_.lstrip("*?"), repeated, optional, oneof))
    return out


def _file() -> descriptor_pb2.FileDescriptorProto:
    """The table as one proto3 file: nested names become nested types."""
    fd = descriptor_pb2.FileDescriptorProto(
        name="dateline_bench_stream.proto", package=_PACKAGE, syntax="proto3"
    )
    protos: dict[str, Any] = {}
    for name in sorted(MESSAGES, key=lambda n: n.count(".")):  # outer types first
        outer, _, short = name.rpartition(".")
        protos[name] = (protos[outer].nested_type if outer else fd.message_type).add(name=short)
    for name, values in ENUMS.items():
        outer, _, short = name.rpartition(".")
        enum = protos[outer].enum_type.add(name=short)
        for item in values.split():
            value, number = item.split("=")
            enum.value.add(name=value, number=int(number))
    for name, spec in MESSAGES.items():
        msg, fields = protos[name], parse_fields(spec)
        # real oneofs first: protobuf wants the synthetic ones of optional fields after them
        oneofs = list(dict.fromkeys(f[5] for f in fields if f[5]))
        for oneof in oneofs:
            msg.oneof_decl.add(name=oneof)
        for fname, number, type_, repeated, optional, oneof in fields:
            field = msg.field.add(name=fname, number=number, json_name=_camel(fname))
            field.label = (
                descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
                if repeated
                else descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
            )
            if type_ in _SCALARS:
                field.type = _SCALARS[type_]
            elif type_ in ENUMS:
                field.type = descriptor_pb2.FieldDescriptorProto.TYPE_ENUM
                field.type_name = f".{_PACKAGE}.{type_}"
            else:
                field.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                field.type_name = f".{_PACKAGE}.{type_}"
            if oneof:
                field.oneof_index = oneofs.index(oneof)
            elif optional:
                field.proto3_optional = True
                field.oneof_index = len(msg.oneof_decl)
                msg.oneof_decl.add(name=f"_{fname}")
    return fd


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def _classes() -> dict[str, Any]:
    pool = descriptor_pool.DescriptorPool()  # a pool of its own: no clash with other protos
    pool.Add(_file())
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name in ("ForwardMsg", "BackMsg", "WidgetState")
    }


_CLASSES = _classes()
ForwardMsg: Any = _CLASSES["ForwardMsg"]
BackMsg: Any = _CLASSES["BackMsg"]
WidgetState: Any = _CLASSES["WidgetState"]
