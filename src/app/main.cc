// pulsar-kinesis: moves data between Apache Pulsar and AWS Kinesis Data Streams. The command line is app/cli.h.
#include "app/cli.h"

int main(int argc, char** argv) {
  return pk::app::run_command_line(argc, argv, PK_VERSION);
}
