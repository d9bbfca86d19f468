using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>
/// Decodes a pod for the pods informer by hand, reading only the fields <see cref="Fleet.FleetProjections.Pod"/> and the
/// informer read, and skipping the rest unread. The serializer's own decoding, even of only those fields, kept a stack of
/// its frames per object (about 1.5 KB, the largest thing the dashboard allocated under churn); a converter of the whole pod
/// is read without one, from a list page's items and a watch event's object alike. Dates go through KubernetesClient's own
/// converter, so they parse as they would for any other kind; a container's cpu and memory are kept as the quantities'
/// text (<see cref="ContainerQuantities"/>).
/// </summary>
public sealed class PodDecoder : JsonConverter<V1Pod>
{
    // KubernetesClient's own, declared before Options, whose converter reads with them. The readers are static, so the
    // delegates List gets for them are made once, not per pod.
    private static readonly JsonConverter<DateTime> Dates = (JsonConverter<DateTime>)WatchEvents.Options.GetConverter(typeof(DateTime));
    private static readonly JsonConverter<ResourceQuantity> QuantityConverter =
        (JsonConverter<ResourceQuantity>)WatchEvents.Options.GetConverter(typeof(ResourceQuantity));

    private PodDecoder()
    {
    }

    /// <summary>KubernetesClient's serializer settings with pods decoded by this converter.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(WatchEvents.Options);
        options.Converters.Add(new PodDecoder());
        options.MakeReadOnly();
        return options;
    }

    public override V1Pod? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var pod = new V1Pod();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("metadata"u8))
            {
                pod.Metadata = Metadata(ref reader);
            }
            else if (field.SequenceEqual("spec"u8))
            {
                pod.Spec = Spec(ref reader);
            }
            else if (field.SequenceEqual("status"u8))
            {
                pod.Status = Status(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return pod;
    }

    public override void Write(Utf8JsonWriter writer, V1Pod value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Pods are decoded for the informer only; KubernetesClient's settings write them.");

    private static V1ObjectMeta? Metadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var metadata = new V1ObjectMeta();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                metadata.Name = reader.GetString();
            }
            else if (field.SequenceEqual("namespace"u8))
            {
                metadata.NamespaceProperty = reader.GetString();
            }
            else if (field.SequenceEqual("resourceVersion"u8))
            {
                metadata.ResourceVersion = reader.GetString();
            }
            else if (field.SequenceEqual("creationTimestamp"u8))
            {
                metadata.CreationTimestamp = Date(ref reader);
            }
            else if (field.SequenceEqual("deletionTimestamp"u8))
            {
                metadata.DeletionTimestamp = Date(ref reader);
            }
            else if (field.SequenceEqual("labels"u8))
            {
                metadata.Labels = Strings(ref reader);
            }
            else if (field.SequenceEqual("ownerReferences"u8))
            {
                metadata.OwnerReferences = List(ref reader, OwnerReference);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return metadata;
    }

    private static V1OwnerReference OwnerReference(ref Utf8JsonReader reader)
    {
        var owner = new V1OwnerReference();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("apiVersion"u8))
            {
                owner.ApiVersion = Word(ref reader);
            }
            else if (field.SequenceEqual("kind"u8))
            {
                owner.Kind = Word(ref reader);
            }
            else if (field.SequenceEqual("name"u8))
            {
                owner.Name = reader.GetString();
            }
            else if (field.SequenceEqual("uid"u8))
            {
                owner.Uid = reader.GetString();
            }
            else if (field.SequenceEqual("controller"u8))
            {
                owner.Controller = Boolean(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return owner;
    }

    private static V1PodSpec? Spec(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var spec = new V1PodSpec();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("containers"u8))
            {
                spec.Containers = List(ref reader, Container);
            }
            else if (field.SequenceEqual("initContainers"u8))
            {
                spec.InitContainers = List(ref reader, Container);
            }
            else if (field.SequenceEqual("nodeName"u8))
            {
                spec.NodeName = reader.GetString();
            }
            else
            {
                Skip(ref reader);
            }
        }
        return spec;
    }

    private static V1Container Container(ref Utf8JsonReader reader)
    {
        var container = new V1Container();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("resources"u8) && reader.TokenType != JsonTokenType.Null)
            {
                var resources = new ContainerQuantities();
                container.Resources = resources;
                Expect(ref reader, JsonTokenType.StartObject);
                while (Field(ref reader, out var kind))
                {
                    if (kind.SequenceEqual("requests"u8))
                    {
                        (resources.CpuRequest, resources.MemoryRequest) = CpuAndMemory(ref reader);
                    }
                    else if (kind.SequenceEqual("limits"u8))
                    {
                        (resources.CpuLimit, resources.MemoryLimit) = CpuAndMemory(ref reader);
                    }
                    else
                    {
                        Skip(ref reader);
                    }
                }
            }
            else
            {
                Skip(ref reader);
            }
        }
        return container;
    }

    private static V1PodStatus? Status(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var status = new V1PodStatus();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("phase"u8))
            {
                status.Phase = Word(ref reader);
            }
            else if (field.SequenceEqual("reason"u8))
            {
                status.Reason = Word(ref reader);
            }
            else if (field.SequenceEqual("conditions"u8))
            {
                status.Conditions = Scheduled(ref reader);
            }
            else if (field.SequenceEqual("containerStatuses"u8))
            {
                status.ContainerStatuses = List(ref reader, ContainerStatus);
            }
            else if (field.SequenceEqual("initContainerStatuses"u8))
            {
                status.InitContainerStatuses = List(ref reader, ContainerStatus);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return status;
    }

    /// <summary>
    /// Of a pod's conditions, the one the summary reads (PodScheduled, for the scheduler's words); the others are read
    /// through and not kept, so a pod makes no object for its Ready or Initialized condition.
    /// </summary>
    private static List<V1PodCondition>? Scheduled(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        Expect(ref reader, JsonTokenType.StartArray);
        var scheduled = new List<V1PodCondition>(1);
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            string? type = null, status = null, reason = null, message = null;
            Expect(ref reader, JsonTokenType.StartObject);
            while (Field(ref reader, out var field))
            {
                if (field.SequenceEqual("type"u8))
                {
                    type = Word(ref reader);
                }
                else if (field.SequenceEqual("status"u8))
                {
                    status = Word(ref reader);
                }
                else if (field.SequenceEqual("reason"u8))
                {
                    reason = Word(ref reader);
                }
                else if (field.SequenceEqual("message"u8))
                {
                    // Another condition's message (the API server sends the type first) is not made into a string.
                    message = type is null || type == PodScheduled ? reader.GetString() : null;
                }
                else
                {
                    Skip(ref reader);
                }
            }
            if (type == PodScheduled)
            {
                scheduled.Add(new V1PodCondition { Type = type, Status = status, Reason = reason, Message = message });
            }
        }
        return scheduled;
    }

    private static V1ContainerStatus ContainerStatus(ref Utf8JsonReader reader)
    {
        var status = new V1ContainerStatus();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("ready"u8))
            {
                status.Ready = Boolean(ref reader) ?? false;
            }
            else if (field.SequenceEqual("restartCount"u8))
            {
                status.RestartCount = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt32();
            }
            else if (field.SequenceEqual("state"u8))
            {
                status.State = State(ref reader);
            }
            else if (field.SequenceEqual("lastState"u8))
            {
                status.LastState = State(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return status;
    }

    private static V1ContainerState? State(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var state = new V1ContainerState();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            if (field.SequenceEqual("running"u8))
            {
                state.Running = new V1ContainerStateRunning();
                Skip(ref reader);
            }
            else if (field.SequenceEqual("waiting"u8))
            {
                state.Waiting = Waiting(ref reader);
            }
            else if (field.SequenceEqual("terminated"u8))
            {
                state.Terminated = Terminated(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return state;
    }

    private static V1ContainerStateWaiting Waiting(ref Utf8JsonReader reader)
    {
        var waiting = new V1ContainerStateWaiting();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("reason"u8))
            {
                waiting.Reason = Word(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return waiting;
    }

    private static V1ContainerStateTerminated Terminated(ref Utf8JsonReader reader)
    {
        var terminated = new V1ContainerStateTerminated();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var field))
        {
            if (field.SequenceEqual("exitCode"u8))
            {
                terminated.ExitCode = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt32();
            }
            else if (field.SequenceEqual("signal"u8))
            {
                terminated.Signal = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
            }
            else if (field.SequenceEqual("reason"u8))
            {
                terminated.Reason = Word(ref reader);
            }
            else if (field.SequenceEqual("finishedAt"u8))
            {
                terminated.FinishedAt = Date(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return terminated;
    }

    private static DateTime? Date(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Dates.Read(ref reader, typeof(DateTime), WatchEvents.Options);

    /// <summary>Of a requests or limits map, the cpu and memory quantities' text (<see cref="Quantity"/>); the rest unread.</summary>
    private static (string? Cpu, string? Memory) CpuAndMemory(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, null);
        }
        string? cpu = null, memory = null;
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var name))
        {
            if (name.SequenceEqual("cpu"u8))
            {
                cpu = Quantity(ref reader);
            }
            else if (name.SequenceEqual("memory"u8))
            {
                memory = Quantity(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }
        return (cpu, memory);
    }

    /// <summary>
    /// A quantity's text as sent when it is in Kubernetes' grammar (what an API server sends); anything else (a number,
    /// padded or unusual text) as KubernetesClient reads it: its canonical text, or the exception it throws.
    /// </summary>
    private static string? Quantity(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && Core.Quantities.IsValid(text))
        {
            return text;
        }
        return QuantityConverter.Read(ref reader, typeof(ResourceQuantity), WatchEvents.Options)?.ToString();
    }

    private static Dictionary<string, string>? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Field(ref reader, out var name))
        {
            strings[Encoding.UTF8.GetString(name)] = reader.GetString()!;
        }
        return strings;
    }

    private const string PodScheduled = "PodScheduled";

    /// <summary>
    /// The values of enumerated fields (phases, condition types and statuses, reasons, owner kinds) that pods repeat by the
    /// hundred thousand: read as these strings, not as a new string each time.
    /// </summary>
    private static readonly (byte[] Utf8, string Text)[] Words = [.. new[]
    {
        "True", "False", "Unknown", "Pending", "Running", "Succeeded", "Failed", PodScheduled, "Ready", "Initialized", "ContainersReady",
        "PodReadyToStartContainers", "Unschedulable", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Node", "apps/v1", "batch/v1", "v1",
        "ContainerCreating", "PodInitializing", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
        "Completed", "Error", "OOMKilled", "ContainerStatusUnknown", "Evicted", "NodeLost",
    }.Select(w => (Encoding.UTF8.GetBytes(w), w))];

    /// <summary>A string value, as one of <see cref="Words"/> when it is one.</summary>
    private static string? Word(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var value = reader.ValueSpan;
            foreach (var (utf8, text) in Words)
            {
                if (value.SequenceEqual(utf8))
                {
                    return text;
                }
            }
        }
        return reader.GetString();
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    private static List<T>? List<T>(ref Utf8JsonReader reader, ItemReader<T> item)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<T>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            items.Add(item(ref reader));
        }
        return items;
    }

    private static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();

    /// <summary>
    /// Moves from an object's start, or from the value of its last field read, to its next field: false at the object's
    /// end, or true with the reader on the field's value, which the caller reads or skips before asking again. The name is
    /// UTF-8, a slice of the data read rather than a string (a pod has dozens of them).
    /// </summary>
    private static bool Field(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        if (Next(ref reader) == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }
        Expect(ref reader, JsonTokenType.PropertyName);
        // The API server never escapes a name, but a name may be escaped.
        name = reader.ValueIsEscaped || reader.HasValueSequence ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        Next(ref reader);
        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"A pod has {reader.TokenType} where {token} should be.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("A pod ends before its last value.");

    /// <summary>Skips the value the reader is on; the whole pod is in the reader's data (the serializer reads ahead for a converter).</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("A pod ends before its last value.");
        }
    }
}

/// <summary>
/// A container's cpu and memory as the pods informer reads them: the quantities' text, requests and limits, as sent.
/// KubernetesClient's <see cref="ResourceQuantity"/> parses each quantity into a fraction of big integers, and the summary
/// read it back as canonical text: a large part of what the dashboard allocated under churn, for the two numbers a pod's
/// summary keeps (<see cref="Fleet.FleetProjections.Pod"/> reads these instead).
/// </summary>
internal sealed record ContainerQuantities : V1ResourceRequirements
{
    public string? CpuRequest { get; set; }

    public string? MemoryRequest { get; set; }

    public string? CpuLimit { get; set; }

    public string? MemoryLimit { get; set; }

    /// <summary>The request or the limit for cpu or memory, as sent; none for another resource.</summary>
    public string? Of(string name, bool limit) => name switch
    {
        "cpu" => limit ? CpuLimit : CpuRequest,
        "memory" => limit ? MemoryLimit : MemoryRequest,
        _ => null,
    };
}
