using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>Create, update and delete, with the bookkeeping kube-apiserver's registry does on each.</summary>
public sealed partial class ClusterStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>POST. With a <paramref name="fieldManager"/> (a client's create), it is recorded in managedFields as owning what it set.</summary>
    public StoredObject Create(ResourceType type, string ns, JsonObject obj, bool dryRun = false, string? fieldManager = null)
    {
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        var name = (string?)metadata["name"] ?? "";
        var generated = name.Length == 0 && (string?)metadata["generateName"] is { Length: > 0 };
        if (generated)
        {
            name = GenerateName((string)metadata["generateName"]!);
        }
        Validation.ValidateName(type, name);
        if (type.Namespaced)
        {
            var bodyNamespace = (string?)metadata["namespace"];
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
        metadata["name"] = name;
        metadata["uid"] = NewUid();
        metadata["creationTimestamp"] = Timestamp(_time.GetUtcNow());
        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink" })
        {
            metadata.Remove(field);
        }
        if (Validation.HasGeneration(type))
        {
            metadata["generation"] = 1;
        }
        Defaulting.OnCreate(type, obj);
        Validation.ValidateObject(type, name, obj);
        lock (_lock)
        {
            if (type.Namespaced)
            {
                RequireActiveNamespace(type, ns, name);
            }
            // Like kube-apiserver (RetryGenerateName), a generated name that is taken is generated again.
            for (var attempt = 0; generated && attempt < 8 && _tables[type].Objects.ContainsKey(StoredObject.KeyOf(ns, name)); attempt++)
            {
                name = GenerateName((string)metadata["generateName"]!);
                metadata["name"] = name;
            }
            if (_tables[type].Objects.ContainsKey(StoredObject.KeyOf(ns, name)))
            {
                throw ApiException.AlreadyExists(type, name);
            }
            Admit(type, ns, name, obj, null, dryRun);
            if (fieldManager is not null)
            {
                ManagedFields.RecordUpdate(type, null, obj, fieldManager, _time.GetUtcNow());
            }
            return dryRun ? Preview(type, obj) : Commit(type, obj, WatchEvent.Added, null);
        }
    }

    /// <summary>
    /// Creates a namespaced object the simulated components write about their own work (an Event) from its bytes, not from a
    /// tree: a pod's life records four events, and building each as a tree to default, validate and serialize cost the
    /// simulator about as much as the pod's own writes. <paramref name="writeBody"/> writes the object's properties after its
    /// metadata; <paramref name="fields"/> are its field-selector values. It has no labels, owner or status. Null when a
    /// ResourceQuota in the namespace may count it: the ordinary <see cref="Create"/> admits it then.
    /// </summary>
    internal StoredObject? CreateWritten(ResourceType type, string ns, string name, (string Field, string? Value)[] fields, Action<Utf8JsonWriter> writeBody)
    {
        Validation.ValidateName(type, name);
        lock (_lock)
        {
            RequireActiveNamespace(type, ns, name);
            if (Range(ResourceCatalog.ResourceQuotas, ns, null).Any())
            {
                return null;
            }
            if (_tables[type].Objects.ContainsKey(StoredObject.KeyOf(ns, name)))
            {
                throw ApiException.AlreadyExists(type, name);
            }
            var version = ++_resourceVersion;
            var uid = NewUid();
            var writer = JsonWire.ReusedWriter();
            writer.WriteStartObject();
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("name"u8, name);
            writer.WriteString("namespace"u8, ns);
            writer.WriteString("uid"u8, uid);
            writer.WriteString("creationTimestamp"u8, Timestamp(_time.GetUtcNow()));
            writer.WriteString("resourceVersion"u8, version.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writeBody(writer);
            writer.WriteString("apiVersion"u8, type.GroupVersion);
            writer.WriteString("kind"u8, type.Kind);
            writer.WriteEndObject();
            var stored = new StoredObject
            {
                Type = type,
                Namespace = _strings.Intern(ns),
                Name = name,
                ResourceVersion = version,
                Json = JsonWire.Written(writer).ToArray(),
                Labels = StoredVersion.NoLabels,
                Fields = FieldIndex.Of(type, fields, _strings),
                Uid = uid,
            };
            return Apply(stored, WatchEvent.Added, null);
        }
    }

    /// <summary>PUT: replaces the object (or only its status), 409 Conflict when the resourceVersion is stale.</summary>
    public StoredObject Update(ResourceType type, string ns, string name, JsonObject obj, string? subresource, bool dryRun = false, string? fieldManager = null)
    {
        var metadata = obj["metadata"] as JsonObject ?? throw ApiException.BadRequest("metadata is required");
        if ((string?)metadata["name"] is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        lock (_lock)
        {
            var current = _tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
            var expected = (string?)metadata["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            var merged = MergeForUpdate(type, current.ToJsonObject(), obj, subresource);
            Validation.ValidateObject(type, name, merged);
            AdmitUpdate(type, current, merged, subresource, dryRun, fieldManager);
            return CommitChange(type, current, merged, dryRun);
        }
    }

    /// <summary>PATCH: applies the patch to the current object under the lock, so concurrent patches never conflict.</summary>
    public StoredObject Patch(ResourceType type, string ns, string name, Func<JsonObject, JsonObject> patch, string? subresource, bool dryRun = false, string? fieldManager = null)
    {
        lock (_lock)
        {
            var current = _tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
            var patched = patch(current.ToJsonObject());
            var expected = (string?)patched["metadata"]?["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            var merged = MergeForUpdate(type, current.ToJsonObject(), patched, subresource);
            Validation.ValidateObject(type, name, merged);
            AdmitUpdate(type, current, merged, subresource, dryRun, fieldManager);
            return CommitChange(type, current, merged, dryRun);
        }
    }

    /// <summary>
    /// For the simulated controllers and kubelets: changes any part of the object, status included. The tree given to
    /// <paramref name="change"/> is valid only during the call: keep no node of it.
    /// </summary>
    public StoredObject? Mutate(ResourceType type, string ns, string name, Func<JsonObject, bool> change)
    {
        lock (_lock)
        {
            if (_tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name)) is not { } current)
            {
                return null;
            }
            // The tree reads the stored bytes in place (they never change) rather than a copy, and its document's index goes
            // back to the pool once the change is committed: nothing of the tree outlives this call.
            using var document = JsonDocument.Parse(current.Json.AsMemory());
            var obj = JsonObject.Create(document.RootElement)!;
            return change(obj) ? CommitChange(type, current, obj, false, canonical: true) : current;
        }
    }

    /// <summary>
    /// DELETE: objects with finalizers, and pods a kubelet runs, are marked with a deletionTimestamp and
    /// removed later; everything else goes at once. Returns the object and whether it is gone.
    /// </summary>
    public (StoredObject Object, bool Removed) Delete(ResourceType type, string ns, string name, long? gracePeriodSeconds = null, string? uid = null, string? resourceVersion = null, bool dryRun = false)
    {
        lock (_lock)
        {
            var current = _tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type, name);
            if ((uid is not null && uid != current.Uid) ||
                (resourceVersion is not null && resourceVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture)))
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}", name, type.Plural, type.Group);
            }
            if (dryRun)
            {
                return (current, false);
            }
            // Gone at once, told from the stored facts (the churn's deletes, most deletes at scale): no finalizers in its
            // bytes, and no kubelet to wait for, or no grace asked. Otherwise the finalizers and the grace are read off the
            // object; either way a removal's DELETED event carries the last state.
            var onNode = type == ResourceCatalog.Pods && current.Fields.GetValueOrDefault("spec.nodeName") is not null &&
                current.Fields.GetValueOrDefault("status.phase") is not ("Succeeded" or "Failed");
            if (type != ResourceCatalog.Namespaces && current.Json.AsSpan().IndexOf("\"finalizers\""u8) < 0 && (!onNode || gracePeriodSeconds == 0))
            {
                return (CommitRemoval(current), true);
            }
            var obj = current.ToJsonObject();
            var metadata = obj["metadata"]!.AsObject();
            var hasFinalizers = metadata["finalizers"] is JsonArray { Count: > 0 } || (type == ResourceCatalog.Namespaces);
            var grace = gracePeriodSeconds ?? JsonNumber.Long(obj["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            if (hasFinalizers || (onNode && grace > 0))
            {
                if (metadata["deletionTimestamp"] is not null)
                {
                    return (current, false);
                }
                metadata["deletionTimestamp"] = Timestamp(_time.GetUtcNow().AddSeconds(type == ResourceCatalog.Pods ? grace : 0));
                metadata["deletionGracePeriodSeconds"] = type == ResourceCatalog.Pods ? grace : 0;
                if (type == ResourceCatalog.Namespaces)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Terminating" };
                }
                return (Commit(type, obj, WatchEvent.Modified, current), false);
            }
            return (CommitRemoval(current), true);
        }
    }

    /// <summary>Removes an object for good (a kubelet confirming a pod is gone, a finished namespace cleanup).</summary>
    public bool Remove(ResourceType type, string ns, string name)
    {
        lock (_lock)
        {
            if (_tables[type].Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name)) is not { } current)
            {
                return false;
            }
            CommitRemoval(current);
            return true;
        }
    }

    /// <summary>
    /// A version 4 UUID, as kube-apiserver gives every object. From a fast generator rather than the system's secure one
    /// (a system call for each): a uid must be unique, not unguessable, and the fleet writes thousands of objects a second.
    /// </summary>
    private static string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static string GenerateName(string prefix) =>
        prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)])]);

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <param name="canonical">The object is the stored one's tree, changed in place: it keeps the stored order of properties, so
    /// bytes that differ are a change.</param>
    private StoredObject CommitChange(ResourceType type, StoredObject current, JsonObject merged, bool dryRun, bool canonical = false)
    {
        var metadata = merged["metadata"]!.AsObject();
        metadata["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var serialized = JsonWire.SerializeReused(merged);
        if (Unchanged(serialized, current, canonical))
        {
            return current;
        }
        if (dryRun)
        {
            return Preview(type, merged);
        }
        if (type != ResourceCatalog.Pods && type != ResourceCatalog.Namespaces &&
            metadata["deletionTimestamp"] is not null && metadata["finalizers"] is not JsonArray { Count: > 0 })
        {
            return Commit(type, merged, WatchEvent.Deleted, current, serialized.Span);
        }
        return Commit(type, merged, WatchEvent.Modified, current, serialized.Span);
    }

    /// <summary>
    /// Whether a write leaves the object as it is. Serialized the same way, an equal object has the same length; only when the
    /// lengths match but the bytes differ are the two compared as JSON (a client's body may order properties otherwise), as
    /// documents over the bytes rather than as trees, so even then nothing is built that outlives the comparison.
    /// </summary>
    private static bool Unchanged(ReadOnlyMemory<byte> bytes, StoredObject current, bool canonical)
    {
        if (bytes.Length != current.Json.Length)
        {
            return false;
        }
        if (bytes.Span.SequenceEqual(current.Json))
        {
            return true;
        }
        if (canonical)
        {
            return false;
        }
        using var written = System.Text.Json.JsonDocument.Parse(bytes);
        using var stored = System.Text.Json.JsonDocument.Parse(current.Json);
        return System.Text.Json.JsonElement.DeepEquals(written.RootElement, stored.RootElement);
    }

    private static JsonObject MergeForUpdate(ResourceType type, JsonObject current, JsonObject incoming, string? subresource)
    {
        var oldMetadata = current["metadata"]!.AsObject();
        if (subresource == "status")
        {
            current["status"] = incoming["status"]?.DeepClone();
            return current;
        }
        incoming["apiVersion"] = type.GroupVersion;
        incoming["kind"] = type.Kind;
        var metadata = incoming["metadata"] as JsonObject ?? new JsonObject();
        incoming["metadata"] = metadata;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            metadata[field] = oldMetadata[field]?.DeepClone();
            if (metadata[field] is null)
            {
                metadata.Remove(field);
            }
        }
        // A body without managedFields keeps the object's (kube-apiserver resets them only when they are sent).
        if (!metadata.ContainsKey("managedFields") && oldMetadata["managedFields"] is { } managed)
        {
            metadata["managedFields"] = managed.DeepClone();
        }
        if (type.HasStatus)
        {
            incoming["status"] = current["status"]?.DeepClone();
        }
        Defaulting.OnUpdate(type, incoming);
        if (Validation.HasGeneration(type) && !JsonNode.DeepEquals(current["spec"], incoming["spec"]))
        {
            metadata["generation"] = (JsonNumber.Long(oldMetadata["generation"]) ?? 0) + 1;
        }
        return incoming;
    }

    private StoredObject Preview(ResourceType type, JsonObject obj) => new()
    {
        Type = type,
        Namespace = (string?)obj["metadata"]?["namespace"] ?? "",
        Name = (string)obj["metadata"]!["name"]!,
        ResourceVersion = _resourceVersion,
        Json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj, JsonWire.Options),
        Labels = new Dictionary<string, string>(),
        Fields = new Dictionary<string, string>(),
    };

    private void RequireActiveNamespace(ResourceType type, string ns, string name)
    {
        if (!_tables[ResourceCatalog.Namespaces].Objects.TryGetValue(ns, out var namespaceObject))
        {
            throw ApiException.NotFound(ResourceCatalog.Namespaces, ns);
        }
        if (namespaceObject.Terminating)
        {
            throw ApiException.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated",
                ("NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace"));
        }
    }
}
