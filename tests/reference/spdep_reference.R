# Reference values from R spdep (Debian r-cran-spdep 1.2-7) for tests/test_autocorrelation.py.
#
#   python3 tests/reference/make_spdep_input.py   # writes spdep/input_*.csv and spdep/nb_*.csv
#   Rscript tests/reference/spdep_reference.R     # writes spdep/spdep_global.csv, spdep_local.csv
#
# The neighbour lists are read, not recomputed, so spdep and spatialinno use identical weights.
# Settings: moran.test / geary.test with randomisation=TRUE, adjust.n=FALSE (islands stay in n),
# zero.policy=TRUE, two-sided p; localmoran with mlvar=FALSE ((n-1) denominator, as esda);
# localG on include.self(nb) (Gi*) with binary ("B") and row-standardised ("W") weights.
# Missing values (prefecture_census) are dropped together with their links via subset.nb.
suppressPackageStartupMessages(library(spdep))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- file.path(dirname(normalizePath(script)), "spdep")

read_nb <- function(case, n) {
  links <- read.csv(file.path(here, paste0("nb_", case, ".csv")))
  nb <- vector("list", n)
  for (i in seq_len(n)) {
    js <- sort(as.integer(links$neighbor[links$focal == i - 1] + 1L))
    nb[[i]] <- if (length(js)) js else 0L
  }
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(n) - 1L)
  attr(nb, "type") <- "queen"
  attr(nb, "sym") <- is.symmetric.nb(nb, verbose = FALSE, force = TRUE)
  nb
}

global_rows <- list()
local_rows <- list()

run_case <- function(case, variables, local_for = variables) {
  input <- read.csv(file.path(here, paste0("input_", case, ".csv")),
                    colClasses = c(code = "character"))
  nb_all <- read_nb(case, nrow(input))
  for (v in variables) {
    x_all <- input[[v]]
    keep <- !is.na(x_all)
    nb <- if (all(keep)) nb_all else subset.nb(nb_all, keep)
    x <- x_all[keep]
    codes <- input$code[keep]
    lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
    mt <- moran.test(x, lw, randomisation = TRUE, zero.policy = TRUE,
                     alternative = "two.sided", adjust.n = FALSE)
    gt <- geary.test(x, lw, randomisation = TRUE, zero.policy = TRUE,
                     alternative = "two.sided", adjust.n = FALSE)
    global_rows[[length(global_rows) + 1]] <<- data.frame(
      case = case, variable = v, n = length(x),
      I = unname(mt$estimate[1]), EI = unname(mt$estimate[2]), VI = unname(mt$estimate[3]),
      z_I = unname(mt$statistic), p_I = mt$p.value,
      C = unname(gt$estimate[1]), EC = unname(gt$estimate[2]), VC = unname(gt$estimate[3]),
      z_C = unname(gt$statistic), p_C = gt$p.value)
    if (v %in% local_for) {
      lm <- localmoran(x, lw, zero.policy = TRUE, mlvar = FALSE)
      nb_self <- include.self(nb)
      gB <- localG(x, nb2listw(nb_self, style = "B", zero.policy = TRUE), zero.policy = TRUE)
      gW <- localG(x, nb2listw(nb_self, style = "W", zero.policy = TRUE), zero.policy = TRUE)
      local_rows[[length(local_rows) + 1]] <<- data.frame(
        case = case, variable = v, code = codes, n_neighbors = card(nb),
        Ii = lm[, "Ii"], E_Ii = lm[, "E.Ii"], Var_Ii = lm[, "Var.Ii"], Z_Ii = lm[, "Z.Ii"],
        Gstar_z_B = as.numeric(gB), Gstar_z_W = as.numeric(gW))
    }
  }
}

run_case("province31", sprintf("rd_exp_%d", 2010:2023), local_for = "rd_exp_2023")
run_case("prefecture", "v")
run_case("prefecture_keep", "v")
run_case("prefecture_census", "popu_2020")

fmt <- function(df) {
  num <- vapply(df, is.double, logical(1))
  df[num] <- lapply(df[num], function(col) sprintf("%.17g", col))
  df
}
write.csv(fmt(do.call(rbind, global_rows)), file.path(here, "spdep_global.csv"), row.names = FALSE)
write.csv(fmt(do.call(rbind, local_rows)), file.path(here, "spdep_local.csv"), row.names = FALSE)
cat(sprintf("spdep %s: wrote %d global and %d local rows to %s\n",
            as.character(packageVersion("spdep")), length(global_rows),
            sum(vapply(local_rows, nrow, integer(1))), here))
