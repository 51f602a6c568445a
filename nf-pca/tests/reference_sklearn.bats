#!/usr/bin/env bats
# nf-pca against scikit-learn's PCA (full SVD; data scaled with the n-1 SD): loadings and
# scores within 1e-8 up to the documented sign convention, eigenvalues,
# SPE and T^2 recomputed with numpy.

load ../../tests/helpers
load pca_helpers

setup() {
    require_py sklearn
    T=$BATS_TEST_TMPDIR
}

@test "scikit-learn PCA: NAB ec2_network_in_257a54 with 6 lags, scaled, 3 components" {
    make_nab_lagged "$DATA/nab/ec2_network_in_257a54.csv" 6 "$T/x.ndjson" "$T/x.csv"
    compare_with sk "$T/x.ndjson" 3 1 0
}

@test "scikit-learn PCA: NAB ec2_network_in_5abac7 with 8 lags, centred only (--no-scale), 4 components" {
    make_nab_lagged "$DATA/nab/ec2_network_in_5abac7.csv" 8 "$T/x.ndjson" "$T/x.csv"
    compare_with sk "$T/x.ndjson" 4 0 0
}

@test "scikit-learn PCA: NAB iio_us-east-1 with 5 lags, fitted on the first 600 rows, the rest projected" {
    make_nab_lagged "$DATA/nab/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv" 5 "$T/x.ndjson" "$T/x.csv"
    compare_with sk "$T/x.ndjson" 2 1 600
}

@test "scikit-learn PCA: per-5-minute aggregates of the Argus day, 4 components, and fitted on 100 rows" {
    make_argus_features "$T/x.ndjson" "$T/x.csv"
    compare_with sk "$T/x.ndjson" 4 1 0
    compare_with sk "$T/x.ndjson" 3 1 100
}

@test "scikit-learn PCA: nf-features vectors of the Argus day (constant columns included), 10 components" {
    make_pipeline_features "$T/f.ndjson"
    compare_with sk "$T/f.ndjson" 10 1 0
}

@test "scikit-learn PCA: wide input, 40 rows x 300 columns (Gram route), scaled, 5 components" {
    make_wide 40 300 "$T/x.ndjson"
    compare_with sk "$T/x.ndjson" 5 1 0
}
