// The Apache Pulsar Kinesis source connector (org.apache.pulsar.io.kinesis.KinesisSource, from its Maven Central NAR)
// run outside a Pulsar function worker, as the function runtime drives a Source: open(configs, context), then
// read() in a loop; each record is published to a real Pulsar topic and ack()ed once the broker confirmed it (which
// is what lets the connector's KCL checkpoint it).
//
//   java KinesisSourcePeer <configs.json> <pulsar service url> <topic>
//
// configs.json holds the connector's `configs` map. Runs until its standard input closes, then close()s the source
// (the KCL scheduler stops; acked records are checkpointed every checkpointInterval) and exits. Prints
// "published N" lines to stdout as records are confirmed, and "closed" at the end.
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.apache.pulsar.functions.api.Record;
import org.apache.pulsar.io.core.SourceContext;
import org.apache.pulsar.io.kinesis.KinesisSource;
import org.slf4j.LoggerFactory;

public final class KinesisSourcePeer {
  public static void main(String[] args) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> configs = new ObjectMapper().readValue(new File(args[0]), Map.class);
    String topic = args[2];
    // The connector asks its context only for identity, secrets and a logger.
    SourceContext context = (SourceContext) Proxy.newProxyInstance(
        SourceContext.class.getClassLoader(), new Class<?>[] {SourceContext.class}, (proxy, method, margs) -> {
          switch (method.getName()) {
            case "getInstanceId": return 0;
            case "getNumInstances": return 1;
            case "getTenant": return "public";
            case "getNamespace": return "default";
            case "getSourceName": return "java-kinesis-source";
            case "getOutputTopic": return topic;
            case "getLogger": return LoggerFactory.getLogger("java-kinesis-source");
            case "toString": return "KinesisSourcePeer context";
            case "hashCode": return 0;
            case "equals": return proxy == margs[0];
            default: return null;  // getSecret: no secrets; the rest is unused by the connector
          }
        });

    PulsarClient client = PulsarClient.builder().serviceUrl(args[1]).build();
    Producer<byte[]> producer = client.newProducer().topic(topic).enableBatching(false).create();
    KinesisSource source = new KinesisSource();
    source.open(configs, context);

    AtomicLong published = new AtomicLong();
    Thread reader = new Thread(() -> {
      try {
        for (;;) {
          Record<byte[]> record = source.read();
          TypedMessageBuilder<byte[]> message = producer.newMessage().value(record.getValue());
          record.getKey().ifPresent(message::key);
          message.properties(record.getProperties());
          message.sendAsync().whenComplete((id, error) -> {
            if (error != null) {
              record.fail();
              return;
            }
            record.ack();
            long n = published.incrementAndGet();
            synchronized (System.out) {
              System.out.println("published " + n);
              System.out.flush();
            }
          });
        }
      } catch (InterruptedException e) {
        // close() interrupts nothing here; the thread is a daemon and dies with the process
      } catch (Exception e) {
        e.printStackTrace();
      }
    });
    reader.setDaemon(true);
    reader.start();

    while (System.in.read() >= 0) {
      // until the test closes our standard input
    }
    producer.flush();
    Thread.sleep(200);  // the last confirmations' ack() calls
    source.close();
    producer.close();
    client.close();
    System.out.println("closed");
    System.out.flush();
    System.exit(0);
  }
}
