// Fixture: beta may include alpha (a dependency), not gamma (listed after it).
#include "beta/beta.h"
#include "alpha/alpha.h"
#include "gamma/gamma.h"
