// Fixture: beta may include alpha (a dependency), not gamma (listed after it).
#include "alpha/alpha.h"
#include "beta/beta.h"
#include "gamma/gamma.h"
