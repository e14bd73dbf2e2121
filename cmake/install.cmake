# `cmake --install` layout (prefix /usr or /usr/local; paths below are relative to it):
#   bin/pulsar-kinesis                               component runtime (the rule is in src/app)
#   share/pulsar-kinesis/examples/*.yaml             component examples: sink, source and run files
#   share/pulsar-kinesis/{grafana,prometheus,kubernetes}/   the dashboard, alert rules and manifests (examples)
#   share/doc/pulsar-kinesis/                        component docs: README.md and docs/*.md
#   lib/systemd/system/pulsar-kinesis@.service       component systemd (PK_INSTALL_SYSTEMD_UNIT, on by default);
#                                                    its ExecStart names the installed binary
# `cmake --install build/release --component runtime` installs the binary alone (the Docker image does that).
# tests/packaging checks the tree.
include(GNUInstallDirs)

option(PK_INSTALL_SYSTEMD_UNIT "Install the systemd unit (component systemd)" ON)
set(PK_INSTALL_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING "Where the systemd unit goes, under the prefix")
set(PK_INSTALL_DATA_DIR "${CMAKE_INSTALL_DATADIR}/pulsar-kinesis")
set(PK_INSTALL_DOC_DIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/pulsar-kinesis")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/examples/ DESTINATION ${PK_INSTALL_DATA_DIR}/examples
        COMPONENT examples FILES_MATCHING PATTERN "*.yaml")
install(FILES ${PROJECT_SOURCE_DIR}/deploy/grafana/pulsar-kinesis.json DESTINATION ${PK_INSTALL_DATA_DIR}/grafana
        COMPONENT examples)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/prometheus/pulsar-kinesis-alerts.yaml
        DESTINATION ${PK_INSTALL_DATA_DIR}/prometheus COMPONENT examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/kubernetes/ DESTINATION ${PK_INSTALL_DATA_DIR}/kubernetes
        COMPONENT examples FILES_MATCHING PATTERN "*.yaml")

# Every user document; a new docs/*.md is picked up at the next configure.
file(GLOB pk_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${pk_docs} DESTINATION ${PK_INSTALL_DOC_DIR} COMPONENT docs)

if(PK_INSTALL_SYSTEMD_UNIT)
  # The unit in the tree names /usr/bin/pulsar-kinesis and /usr/share/doc/pulsar-kinesis; the installed one names
  # the paths under the prefix given at install time (`cmake --install ... --prefix P`).
  set(pk_unit_source "${PROJECT_SOURCE_DIR}/deploy/systemd/pulsar-kinesis@.service")
  set(pk_unit_staged "${PROJECT_BINARY_DIR}/deploy/systemd/pulsar-kinesis@.service")
  install(CODE "
    set(pk_prefix \"\${CMAKE_INSTALL_PREFIX}\")
    file(READ \"${pk_unit_source}\" pk_unit)
    string(REPLACE \"/usr/bin/pulsar-kinesis\" \"\${pk_prefix}/${CMAKE_INSTALL_BINDIR}/pulsar-kinesis\" pk_unit \"\${pk_unit}\")
    string(REPLACE \"/usr/share/doc/pulsar-kinesis\" \"\${pk_prefix}/${PK_INSTALL_DOC_DIR}\" pk_unit \"\${pk_unit}\")
    file(WRITE \"${pk_unit_staged}\" \"\${pk_unit}\")
    file(INSTALL DESTINATION \"\${pk_prefix}/${PK_INSTALL_SYSTEMD_UNIT_DIR}\" TYPE FILE FILES \"${pk_unit_staged}\")
  " COMPONENT systemd)
endif()
