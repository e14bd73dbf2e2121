#pragma once
// Fixture: uses nothing.
#include <string>
