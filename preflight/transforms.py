"""Resource transforms, run the way the Pulumi engine runs them before it registers a resource.

The Python SDK does not run `ResourceOptions(transforms=[...])` or `pulumi.runtime.register_resource_transform`
itself: it serves each transform as a callback (a token on the program's callback server) and the engine calls
it. Pulumi's `MockMonitor` keeps those callbacks and runs none ("The mock monitor does not run them",
pulumi/runtime/mocks.py), so under mocks alone a transform that turns a bucket's encryption off or opens a
security group would pass the preview unseen. `EngineTransforms` does the engine's part, following
`resmon.RegisterResource` in pulumi/pulumi pkg/resource/deploy/source_eval.go:

- before anything else the request inherits `protect`, `retainOnDelete` and `deletedWith` from its parent's goal
  when it sets none (`inheritFromParent`), so an option a transform set on a component reaches its children;
- the transforms run in one chain: the resource's own, then each ancestor's own (parent first, up to the root),
  then the stack transforms registered so far, each receiving what the previous one returned;
- each is called over the callback gRPC interface with a `TransformRequest` (type, name, custom, parent, the
  properties with unknowns and secrets kept, the options as `TransformResourceOptions`); a response without
  properties or options keeps the previous ones;
- the resource is then registered with the resulting properties and options (protect, ignoreChanges,
  dependsOn, provider, aliases, ...), and its own transforms are kept for its children.

Invoke transforms (`pulumi.runtime.register_invoke_transform`) are the engine's too (`resmon.Invoke`): every one
registered so far runs, in order, on an invoke's arguments and options before the provider answers it, so a
transform that widens `aws.iam.get_policy_document` is judged in the document the program gets back.

The legacy `transformations=` and `register_stack_transformation` are run by the SDK itself before it calls the
engine, so they need nothing here.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import grpc
import pulumi
from pulumi.runtime.proto import alias_pb2, callback_pb2, callback_pb2_grpc, resource_pb2


class TransformError(pulumi.RunError):
    """A transform raised (or its callback could not be reached): the engine fails the registration with it.
    A RunError, so the runner reports its message (the transform's exception and line) without a traceback."""


@dataclass(frozen=True)
class _Goal:
    """What a child inherits from its parent's registration (after the parent's transforms ran)."""

    protect: bool | None
    retain_on_delete: bool | None
    deleted_with: str


class EngineTransforms:
    """The engine's transform bookkeeping for one program run: stack transforms, each resource's own transforms,
    the parent tree and the goals children inherit from. Thread-safe: the SDK registers from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stack: list[callback_pb2.Callback] = []
        self._invokes: list[callback_pb2.Callback] = []
        self._own: dict[str, list[callback_pb2.Callback]] = {}
        self._parents: dict[str, str] = {}
        self._goals: dict[str, _Goal] = {}

    def register_stack_transform(self, callback: callback_pb2.Callback) -> None:
        """`register_resource_transform`: applies to every resource registered from now on."""
        with self._lock:
            self._stack.append(callback)

    def register_invoke_transform(self, callback: callback_pb2.Callback) -> None:
        """`register_invoke_transform`: applies to every invoke from now on."""
        with self._lock:
            self._invokes.append(callback)

    def apply_invoke(self, request: Any) -> Any:
        """The invoke request as the engine would go on with it, after every invoke transform registered so far.
        Returns the request itself when there are none."""
        with self._lock:
            transforms = list(self._invokes)
        if not transforms:
            return request
        args = request.args
        options = resource_pb2.TransformInvokeOptions(
            provider=request.provider,
            version=request.version,
            plugin_download_url=request.pluginDownloadURL,
            plugin_checksums=dict(request.pluginChecksums),
        )
        for callback in transforms:
            transform = resource_pb2.TransformInvokeRequest(token=request.tok, args=args, options=options)
            reply = resource_pb2.TransformInvokeResponse.FromString(
                self._call(callback, transform, f"an invoke transform failed on {request.tok}")
            )
            if reply.HasField("args"):
                args = reply.args
            if reply.HasField("options"):
                options = reply.options
        result = _copy(request)
        result.args.CopyFrom(args)
        result.provider = options.provider
        result.version = options.version
        result.pluginDownloadURL = options.plugin_download_url
        result.pluginChecksums.clear()
        result.pluginChecksums.update(options.plugin_checksums)
        return result

    def apply(self, request: Any) -> Any:
        """The registration request as the engine would go on with it: inherited options, then every transform
        that applies, in the engine's order. Returns the request itself when nothing applies."""
        request = self._inherit_from_parent(request)
        transforms = self._chain(request)
        if not transforms:
            return request
        properties, options = request.object, _options_of(request)
        for callback in transforms:
            reply = self._invoke(callback, _transform_request(request, properties, options))
            if reply.HasField("properties"):
                properties = reply.properties
            if reply.HasField("options"):
                options = reply.options
        return _transformed_request(request, properties, options)

    def registered(self, request: Any, urn: str) -> None:
        """Keeps what the resource's children inherit: its own transforms, its parent, its goal."""
        with self._lock:
            self._parents[urn] = request.parent
            self._own[urn] = list(request.transforms)
            self._goals[urn] = _Goal(
                protect=request.protect if request.HasField("protect") else None,
                retain_on_delete=request.retainOnDelete if request.HasField("retainOnDelete") else None,
                deleted_with=request.deletedWith,
            )

    # The engine's steps ------------------------------------------------------------------------------------------

    def _inherit_from_parent(self, request: Any) -> Any:
        with self._lock:
            goal = self._goals.get(request.parent)
        if goal is None:
            return request
        inherits = (
            (not request.HasField("protect") and goal.protect is not None)
            or (not request.HasField("retainOnDelete") and goal.retain_on_delete is not None)
            or (not request.deletedWith and goal.deleted_with)
        )
        if not inherits:
            return request
        child = _copy(request)
        if not child.HasField("protect") and goal.protect is not None:
            child.protect = goal.protect
        if not child.HasField("retainOnDelete") and goal.retain_on_delete is not None:
            child.retainOnDelete = goal.retain_on_delete
        if not child.deletedWith:
            child.deletedWith = goal.deleted_with
        return child

    def _chain(self, request: Any) -> list[callback_pb2.Callback]:
        """The resource's own transforms, then its ancestors' (nearest first), then the stack's."""
        with self._lock:
            chain = list(request.transforms)
            ancestor = request.parent
            while ancestor:
                chain.extend(self._own.get(ancestor, []))
                ancestor = self._parents.get(ancestor, "")
            chain.extend(self._stack)
        return chain

    def _invoke(self, callback: callback_pb2.Callback, request: Any) -> Any:
        reply = self._call(callback, request, f"a resource transform failed on {request.type} {request.name!r}")
        return resource_pb2.TransformResponse.FromString(reply)

    def _call(self, callback: callback_pb2.Callback, request: Any, failure: str) -> bytes:
        """Calls a transform through the program's callback server, as the engine does; its serialized answer."""
        # A channel per call: none is left open when the SDK stops its callback server at the program's end
        # (an open one makes gRPC log a GOAWAY to stderr), and a transform call costs a millisecond either way.
        with grpc.insecure_channel(callback.target) as channel:
            try:
                reply = callback_pb2_grpc.CallbacksStub(channel).Invoke(
                    callback_pb2.CallbackInvokeRequest(token=callback.token, request=request.SerializeToString())
                )
            except grpc.RpcError as error:
                # The SDK's details read "Invoke callback <token> error: <exception>:\n<the transform's frames>".
                details = re.sub(r"^Invoke callback \S+ error: ", "", error.details() or str(error.code()))
                raise TransformError(f"{failure}: {details.rstrip()}") from None
        return bytes(reply.response)


def _copy(request: Any) -> Any:
    copy = type(request)()
    copy.CopyFrom(request)
    return copy


# The options that may be unset (protobuf `optional` or message fields): TransformResourceOptions name, then
# RegisterResourceRequest name.
_OPTIONAL_FIELDS = (
    ("protect", "protect"),
    ("retain_on_delete", "retainOnDelete"),
    ("custom_timeouts", "customTimeouts"),
    ("hooks", "hooks"),
    ("replacement_trigger", "replacement_trigger"),
)


def _copy_optional(source: Any, source_field: str, target: Any, target_field: str) -> None:
    """Copies a field that may be unset, keeping it unset when it is."""
    if not source.HasField(source_field):
        target.ClearField(target_field)
    elif target.DESCRIPTOR.fields_by_name[target_field].message_type is None:
        setattr(target, target_field, getattr(source, source_field))
    else:
        getattr(target, target_field).CopyFrom(getattr(source, source_field))


def _options_of(request: Any) -> Any:
    """The request's options as a transform receives them (the engine's `TransformResourceOptions` literal)."""
    options = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        aliases=[alias_pb2.Alias(urn=urn) for urn in request.aliasURNs] + list(request.aliases),
        provider=request.provider,
        providers=dict(request.providers),
        plugin_download_url=request.pluginDownloadURL,
        deleted_with=request.deletedWith,
        replace_with=list(request.replace_with),
        additional_secret_outputs=list(request.additionalSecretOutputs),
        plugin_checksums=dict(request.pluginChecksums),
        hide_diff=list(request.hideDiffs),
    )
    setattr(options, "import", request.importId)  # `import` is a Python keyword
    for option, field in _OPTIONAL_FIELDS:
        _copy_optional(request, field, options, option)
    # The Go SDK does not set deleteBeforeReplaceDefined, so the engine also takes a plain `true` as set.
    if request.deleteBeforeReplaceDefined or request.deleteBeforeReplace:
        options.delete_before_replace = request.deleteBeforeReplace
    return options


def _transform_request(request: Any, properties: Any, options: Any) -> Any:
    return resource_pb2.TransformRequest(
        type=request.type,
        name=request.name,
        custom=request.custom,
        parent=request.parent,
        properties=properties,
        options=options,
    )


def _transformed_request(request: Any, properties: Any, options: Any) -> Any:
    """The registration the engine goes on with after the transforms: their properties and options."""
    result = _copy(request)
    result.object.CopyFrom(properties)
    if request.transforms:
        # Only a resource with transforms of its own has its dependencies re-read from the transformed options
        # (the engine keeps the request's otherwise). The engine rebuilds property dependencies from the output
        # values in the transformed properties; the SDK's callback returns plain values, so keep the program's
        # for the properties still there (they feed the diagram's edges; no policy judges them).
        for key in [key for key in result.propertyDependencies if key not in properties.fields]:
            del result.propertyDependencies[key]
        kept = {urn for deps in result.propertyDependencies.values() for urn in deps.urns}
        del result.dependencies[:]
        result.dependencies.extend(dict.fromkeys([*options.depends_on, *sorted(kept)]))
    for field, source in (
        ("ignoreChanges", "ignore_changes"),
        ("replaceOnChanges", "replace_on_changes"),
        ("additionalSecretOutputs", "additional_secret_outputs"),
        ("hideDiffs", "hide_diff"),
        ("replace_with", "replace_with"),
    ):
        del getattr(result, field)[:]
        getattr(result, field).extend(getattr(options, source))
    result.version = options.version
    result.provider = options.provider
    result.pluginDownloadURL = options.plugin_download_url
    result.deletedWith = options.deleted_with
    result.importId = getattr(options, "import")
    result.providers.clear()
    result.providers.update(options.providers)
    result.pluginChecksums.clear()
    result.pluginChecksums.update(options.plugin_checksums)
    del result.aliasURNs[:]
    del result.aliases[:]
    result.aliasURNs.extend(alias.urn for alias in options.aliases if alias.HasField("urn"))
    result.aliases.extend(alias for alias in options.aliases if not alias.HasField("urn"))
    for option, field in _OPTIONAL_FIELDS:
        _copy_optional(options, option, result, field)
    result.deleteBeforeReplaceDefined = options.HasField("delete_before_replace")
    result.deleteBeforeReplace = options.delete_before_replace
    return result


__all__ = ["EngineTransforms", "TransformError"]
