package io.leadgraph.scoring;

/** A lead's fit band, from the policy's {@link PolicyDocument.GradeThresholds}. */
enum Grade {

	A, B, C, D

}
