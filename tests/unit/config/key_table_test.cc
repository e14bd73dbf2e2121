// The key table itself: every default parses into its type, names are unique per section, and
// docs/configuration.md is what the table renders.
#include "config/key_table.h"

#include <set>

#include <gtest/gtest.h>

#include "config/docs.h"
#include "config/value_parser.h"
#include "config_test_util.h"

namespace pk::config {
namespace {

template <typename T>
void check_section(const Section<T>& section) {
  std::set<std::string_view> names;
  for (const KeyDef<T>& def : section.keys) {
    const KeyInfo& info = def.info;
    EXPECT_TRUE(names.insert(info.name).second) << section.title << ": " << info.name << " twice";
    for (std::string_view alias : info.aliases) {
      EXPECT_TRUE(names.insert(alias).second) << section.title << ": alias " << alias << " twice";
    }
    EXPECT_FALSE(info.doc.empty()) << info.name;
    if (info.type == KeyType::kEnum || info.type == KeyType::kCsv) {
      EXPECT_FALSE(info.values.empty()) << info.name;
    }
    // Defaults parse like values from a file (null = none, for optional kinds only).
    if (def.assign != nullptr && info.overridden_by.empty() && !info.has(kRequired)) {
      if (info.default_text == "null") {
        EXPECT_TRUE(info.type == KeyType::kOptionalInt || info.type == KeyType::kTimestamp ||
                    info.type == KeyType::kEnum)
            << info.name;
        continue;
      }
      Problems problems;
      Problems warnings;
      const LoadOptions options;
      LoadContext ctx{problems, warnings, options};
      const auto parsed = parse_value(YAML::Node(std::string(info.default_text)), info, "default", ctx);
      EXPECT_TRUE(parsed.has_value()) << section.title << "." << info.name << ": " << problems.to_string();
      if (parsed) {
        // What is stored reads back as the same value.
        T target{};
        def.assign(target, info, *parsed);
        EXPECT_EQ(def.read(target, info).value, parsed->value) << info.name;
      }
    }
  }
}

TEST(KeyTable, EverySectionIsConsistent) {
  check_section(sink_file_keys());
  check_section(sink_configs_keys());
  check_section(kpl_keys());
  check_section(source_file_keys());
  check_section(producer_config_keys());
  check_section(source_configs_keys());
  check_section(pulsar_keys());
  check_section(admin_keys());
  check_section(log_keys());
  check_section(run_file_keys());
}

TEST(KeyTable, KplSettingsAreAcceptedInBothSpellings) {
  for (const KeyDef<SinkConfigs>& def : kpl_keys().keys) {
    ASSERT_EQ(def.info.aliases.size(), 1u) << def.info.name;
    std::string upper(def.info.name);
    upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
    EXPECT_EQ(def.info.aliases[0], upper);
  }
  // Every KPL setting shared with a sink key names an existing sink key.
  for (const KeyDef<SinkConfigs>& def : kpl_keys().keys) {
    if (def.info.overridden_by.empty()) continue;
    bool found = false;
    for (const auto& sink_key : sink_configs_keys().keys) found = found || sink_key.info.name == def.info.overridden_by;
    EXPECT_TRUE(found) << def.info.overridden_by;
  }
}

TEST(KeyTable, DocsAreUpToDate) {
  const auto file = std::filesystem::path(PK_SOURCE_DIR) / "docs" / "configuration.md";
  const auto on_disk = testing::read_file(file);
  ASSERT_TRUE(on_disk.has_value()) << file;
  EXPECT_TRUE(*on_disk == render_markdown()) << "docs/configuration.md is stale: regenerate it with\n"
                                                "  cmake --build --preset debug --target pk-config-docs && "
                                                "build/debug/src/config/pk-config-docs > docs/configuration.md";
}

}  // namespace
}  // namespace pk::config
