// Peer for the formats compatibility test: runs the real Java Kinesis connector's formatting code
// (org.apache.pulsar:pulsar-io-kinesis, KinesisSink.write) on messages built by the Pulsar Java client's own
// classes from message metadata bytes, and prints what the sink hands to its Kinesis producer.
//
// Usage: FormatsPeer <cases file> <answers file>. Input (one case per line, tab-separated; '#' starts a comment):
//   MSG  <id>  <topic>  <MessageMetadata hex>  <SingleMessageMetadata hex or ->  <payload hex>  <schema or ->
//        schema = <SchemaType name>:<definition hex>:<properties as k=v pairs, hex, joined by ','>
//   TEXT <id>  <bytes hex>       -> new String(bytes, UTF_8): getBytes(UTF_8) hex, hashCode, length
//   DOUBLE <id> <raw long bits hex> / FLOAT <id> <raw int bits hex>  -> Double/Float.toString
// Answers, one line per case and format (MSG) or per case (others):
//   <id>  <format>  OK  <partition key hex>  <record hex>      or      <id>  <format>  ERR  <exception>
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.FileReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.schema.GenericObject;
import org.apache.pulsar.client.api.schema.SchemaInfoProvider;
import org.apache.pulsar.client.impl.BatchMessageIdImpl;
import org.apache.pulsar.client.impl.ConsumerImpl;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.apache.pulsar.client.impl.MessageImpl;
import org.apache.pulsar.client.impl.schema.AutoConsumeSchema;
import org.apache.pulsar.client.impl.schema.SchemaInfoImpl;
import org.apache.pulsar.common.api.EncryptionContext;
import org.apache.pulsar.common.api.proto.MessageMetadata;
import org.apache.pulsar.common.api.proto.SingleMessageMetadata;
import org.apache.pulsar.common.schema.SchemaInfo;
import org.apache.pulsar.common.schema.SchemaType;
import org.apache.pulsar.functions.api.Record;
import org.apache.pulsar.functions.source.PulsarRecord;
import org.apache.pulsar.io.kinesis.KinesisSink;
import org.apache.pulsar.io.kinesis.KinesisSinkConfig;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.UserRecordResult;

public class FormatsPeer {
  /** Captures what KinesisSink.write() hands to the KPL. Built without a constructor (no native daemon). */
  public static class CapturingProducer extends KinesisProducer {
    String stream;
    String partitionKey;
    byte[] data;

    @Override
    public ListenableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, ByteBuffer data) {
      this.stream = stream;
      this.partitionKey = partitionKey;
      this.data = new byte[data.remaining()];
      data.duplicate().get(this.data);
      return SettableFuture.create();
    }
  }

  static final sun.misc.Unsafe UNSAFE = unsafe();

  static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static void set(Object target, String field, Object value) throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }

  static final class Sink {
    final String name;
    final KinesisSink sink = new KinesisSink();
    final CapturingProducer producer;

    Sink(String name, KinesisSinkConfig.MessageFormat format, boolean includeNonNulls, boolean flatten)
        throws ReflectiveOperationException {
      this.name = name;
      KinesisSinkConfig config = new KinesisSinkConfig();
      config.setMessageFormat(format);
      config.setJsonIncludeNonNulls(includeNonNulls);
      config.setJsonFlatten(flatten);
      ObjectMapper mapper = new ObjectMapper();  // as KinesisSink.open() builds it
      if (includeNonNulls) {
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
      }
      producer = (CapturingProducer) UNSAFE.allocateInstance(CapturingProducer.class);
      set(sink, "kinesisSinkConfig", config);
      set(sink, "streamName", "peer-stream");
      set(sink, "objectMapper", mapper);
      set(sink, "kinesisProducer", producer);
    }
  }

  static byte[] unhex(String s) {
    if (s.equals("-")) {
      return new byte[0];
    }
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.toString();
  }

  static String oneLine(Throwable t) {
    String m = t.getClass().getName() + ": " + t.getMessage();
    return m.replace('\n', ' ').replace('\t', ' ');
  }

  // ConsumerImpl.createEncryptionContext: what the consumer attaches to a message it did not decrypt.
  static final Method CREATE_ENCRYPTION_CONTEXT = encryptionContextMethod();
  static final ConsumerImpl<?> CONSUMER = consumer();

  static Method encryptionContextMethod() {
    try {
      Method m = ConsumerImpl.class.getDeclaredMethod("createEncryptionContext", MessageMetadata.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static ConsumerImpl<?> consumer() {
    try {
      return (ConsumerImpl<?>) UNSAFE.allocateInstance(ConsumerImpl.class);
    } catch (InstantiationException e) {
      throw new IllegalStateException(e);
    }
  }

  static SchemaInfo schemaInfo(String spec) {
    if (spec.equals("-")) {
      return null;
    }
    String[] parts = spec.split(":", -1);
    Map<String, String> props = new HashMap<>();
    if (!parts[2].isEmpty()) {
      for (String kv : parts[2].split(",")) {
        String[] p = kv.split("=", -1);
        props.put(new String(unhex(p[0]), StandardCharsets.UTF_8), new String(unhex(p[1]), StandardCharsets.UTF_8));
      }
    }
    return SchemaInfoImpl.builder().name("peer").type(SchemaType.valueOf(parts[0])).schema(unhex(parts[1]))
        .properties(props).build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Record<GenericObject> record(String topic, String mdHex, String singleHex, String payloadHex,
      String schemaSpec) throws Exception {
    MessageMetadata md = new MessageMetadata();
    md.parseFrom(unhex(mdHex));
    Optional<EncryptionContext> ctx = (Optional<EncryptionContext>) CREATE_ENCRYPTION_CONTEXT.invoke(CONSUMER, md);
    final SchemaInfo info = schemaInfo(schemaSpec);
    AutoConsumeSchema schema = new AutoConsumeSchema();
    schema.configureSchemaInfo(topic, "sink", null);
    schema.setSchemaInfoProvider(new SchemaInfoProvider() {
      @Override
      public CompletableFuture<SchemaInfo> getSchemaByVersion(byte[] schemaVersion) {
        return CompletableFuture.completedFuture(info);
      }

      @Override
      public CompletableFuture<SchemaInfo> getLatestSchema() {
        return CompletableFuture.completedFuture(info);
      }

      @Override
      public String getTopicName() {
        return topic;
      }
    });
    MessageImpl<GenericObject> message;
    if (singleHex.equals("-")) {
      message = (MessageImpl) MessageImpl.create(topic, new MessageIdImpl(7, 9, -1), md,
          Unpooled.wrappedBuffer(unhex(payloadHex)), ctx, null, (Schema) schema, 0, false, -1);
    } else {
      SingleMessageMetadata single = new SingleMessageMetadata();
      single.parseFrom(unhex(singleHex));
      message = (MessageImpl) MessageImpl.create(topic, new BatchMessageIdImpl(7, 9, -1, 0), md, single,
          Unpooled.wrappedBuffer(unhex(payloadHex)), ctx, null, (Schema) schema, 0, false, -1);
    }
    // PulsarSource.buildRecord: the sink sees the schema of the message's version, not AutoConsumeSchema.
    Schema<GenericObject> recordSchema = (Schema) schema.unwrapInternalSchema(message.getSchemaVersion());
    return PulsarRecord.<GenericObject>builder().message(message).schema(recordSchema).topicName(topic)
        .ackFunction(() -> { }).failFunction(() -> { }).build();
  }

  public static void main(String[] args) throws Exception {
    Sink[] sinks = {
      new Sink("RAW", KinesisSinkConfig.MessageFormat.ONLY_RAW_PAYLOAD, true, false),
      new Sink("JSON", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_JSON, true, false),
      new Sink("FB", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_FB, true, false),
      new Sink("EXPAND", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_JSON_EXPAND_VALUE, true, false),
      new Sink("EXPAND_NULLS", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_JSON_EXPAND_VALUE, false, false),
      new Sink("EXPAND_FLAT", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_JSON_EXPAND_VALUE, true, true),
      new Sink("EXPAND_FLAT_NULLS", KinesisSinkConfig.MessageFormat.FULL_MESSAGE_IN_JSON_EXPAND_VALUE, false, true),
    };
    StringBuilder out = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new FileReader(args[0], StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        String id = f[1];
        switch (f[0]) {
          case "TEXT": {
            String s = new String(unhex(f[2]), StandardCharsets.UTF_8);
            out.append(id).append("\tTEXT\tOK\t").append(hex(s.getBytes(StandardCharsets.UTF_8))).append('\t')
                .append(s.hashCode()).append('\t').append(s.length()).append('\n');
            break;
          }
          case "DOUBLE":
            out.append(id).append("\tDOUBLE\tOK\t")
                .append(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(f[2], 16)))).append('\n');
            break;
          case "FLOAT":
            out.append(id).append("\tFLOAT\tOK\t")
                .append(Float.toString(Float.intBitsToFloat(Integer.parseUnsignedInt(f[2], 16)))).append('\n');
            break;
          case "MSG":
            for (Sink s : sinks) {
              out.append(id).append('\t').append(s.name).append('\t');
              try {
                Record<GenericObject> r = record(f[2], f[3], f[4], f[5], f[6]);
                s.producer.data = null;
                s.sink.write(r);
                out.append("OK\t").append(hex(s.producer.partitionKey.getBytes(StandardCharsets.UTF_8)))
                    .append('\t').append(hex(s.producer.data));
              } catch (Throwable t) {
                out.append("ERR\t").append(oneLine(t));
              }
              out.append('\n');
            }
            break;
          default:
            throw new IllegalArgumentException("unknown case kind " + f[0]);
        }
      }
    }
    java.nio.file.Files.writeString(java.nio.file.Paths.get(args[1]), out, StandardCharsets.UTF_8);
  }
}
