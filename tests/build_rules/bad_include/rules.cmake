# What pk_check_module_includes would write for modules alpha, beta (uses alpha) and gamma (uses beta).
set(PK_CHECKED_FOLDERS alpha beta gamma)
set(PK_ALLOWED_alpha alpha)
set(PK_ALLOWED_beta beta alpha)
set(PK_ALLOWED_gamma gamma beta alpha)
