# Reference values for tests/test_network.py, computed with R igraph (an implementation independent
# of networkx and of spatialinno) on the bundled OpenFlights airline network of June 2014
# (ODbL 1.0, (c) OpenFlights contributors, https://openflights.org).
#
# Run from the repository root:   Rscript tests/reference/make_network_reference.R
# Writes tests/reference/network_air_2014_igraph_nodes.csv and ..._graph.csv.
#
# The undirected rule reproduced here independently: rows A->B and B->A (and repeated rows) are
# summed into one edge {A, B}; weight = n_route_records. Weighted paths use distance = 1 / weight.
suppressPackageStartupMessages(library(igraph))

src <- "spatialinno/_data/datasets/edges_air_routes_prefecture_2014_openflights.csv"
air <- read.csv(src, colClasses = c(gb_o = "character", gb_d = "character"))
air$a <- substr(air$gb_o, 4, 9)  # "156" + 6-digit code
air$b <- substr(air$gb_d, 4, 9)
stopifnot(all(air$a != air$b))

lo <- pmin(air$a, air$b)
hi <- pmax(air$a, air$b)
und <- aggregate(list(weight = air$n_route_records), by = list(from = lo, to = hi), FUN = sum)
g <- graph_from_data_frame(und, directed = FALSE)
w <- E(g)$weight

dg <- aggregate(list(weight = air$n_route_records), by = list(from = air$a, to = air$b), FUN = sum)
gd <- graph_from_data_frame(dg, directed = TRUE)

ev <- eigen_centrality(g, weights = w)$vector
ev <- ev / sqrt(sum(ev^2))  # unit Euclidean norm, as networkx
nodes <- data.frame(
  code = V(g)$name,
  degree = degree(g),
  strength = strength(g, weights = w),
  betweenness = betweenness(g, weights = NA, normalized = TRUE),
  betweenness_weighted = betweenness(g, weights = 1 / w, normalized = TRUE),
  closeness = closeness(g, weights = NA, normalized = TRUE),
  closeness_weighted = closeness(g, weights = 1 / w, normalized = TRUE),
  eigenvector = ev,
  stringsAsFactors = FALSE
)
din <- degree(gd, mode = "in")
dout <- degree(gd, mode = "out")
sin <- strength(gd, mode = "in", weights = E(gd)$weight)
sout <- strength(gd, mode = "out", weights = E(gd)$weight)
bd <- betweenness(gd, weights = NA, directed = TRUE, normalized = FALSE)
n_d <- vcount(gd)
nodes$in_degree <- din[nodes$code]
nodes$out_degree <- dout[nodes$code]
nodes$in_weight <- sin[nodes$code]
nodes$out_weight <- sout[nodes$code]
# networkx normalises directed betweenness by (n-1)(n-2); igraph's normalized=TRUE does not for
# directed graphs, so normalise here explicitly
nodes$betweenness_directed <- bd[nodes$code] / ((n_d - 1) * (n_d - 2))
bdw <- betweenness(gd, weights = 1 / E(gd)$weight, directed = TRUE, normalized = FALSE)
nodes$betweenness_directed_weighted <- bdw[nodes$code] / ((n_d - 1) * (n_d - 2))
nodes <- nodes[order(nodes$code), ]

graph <- data.frame(
  directed = c(FALSE, TRUE),
  nodes = c(vcount(g), vcount(gd)),
  edges = c(ecount(g), ecount(gd)),
  density = c(edge_density(g), edge_density(gd)),
  total_weight = c(sum(w), sum(E(gd)$weight)),
  components = c(components(g)$no, components(gd, mode = "weak")$no)
)

write.csv(nodes, "tests/reference/network_air_2014_igraph_nodes.csv", row.names = FALSE)
write.csv(graph, "tests/reference/network_air_2014_igraph_graph.csv", row.names = FALSE)
cat(sprintf("igraph %s: %d nodes, %d undirected edges\n", packageVersion("igraph"), vcount(g), ecount(g)))
