package recommenders

// EASEFactory returns the registry entry of [EASE].
func EASEFactory() Factory {
	return Factory{
		Doc: "EASE^R, the closed-form linear item-item autoencoder (Steck, WWW 2019): B = -P/diag(P), P = (XᵀX + λI)⁻¹.",
		Params: []Param{
			FloatParam("lambda", EASEDefaultLambda, "L2 regularisation λ added to the Gram matrix's diagonal").Above(0),
			BoolParam("include-train", false, "keep the user's own training items in the list"),
		},
		New: func(v Values) (Recommender, error) {
			return NewEASE(EASE{Lambda: v.Float("lambda"), IncludeTraining: v.Bool("include-train")}), nil
		},
	}
}

// ALSFactory returns the registry entry of [ALS].
func ALSFactory() Factory {
	return Factory{
		Doc: "Implicit-feedback matrix factorisation, alternating least squares with confidence weights (Hu, Koren & Volinsky, ICDM 2008), conjugate-gradient solver (Takács et al., RecSys 2011).",
		Params: []Param{
			IntParam("factors", ALSDefaultFactors, "number of latent factors").AtLeast(1).AtMost(4096),
			FloatParam("alpha", ALSDefaultAlpha, "confidence scale α in c = 1 + α·r (or 1 + α·log(1 + r/ε))").Above(0),
			FloatParam("reg", ALSDefaultReg, "L2 regularisation λ").Above(0),
			IntParam("iterations", ALSDefaultIterations, "alternating sweeps over users and items").AtLeast(1),
			IntParam("cg-steps", ALSDefaultCGSteps, "conjugate-gradient steps per solve, warm-started").AtLeast(1),
			StringParam("confidence", "linear", "confidence scaling of interaction values").OneOf("linear", "log"),
			FloatParam("epsilon", ALSDefaultEpsilon, "ε of the log confidence").Above(0),
			IntParam("seed", 0, "seed of the initial factors").AtLeast(0),
			BoolParam("include-train", false, "keep the user's own training items in the list"),
		},
		New: func(v Values) (Recommender, error) {
			conf := ALSLinear
			if v.Str("confidence") == "log" {
				conf = ALSLog
			}
			return NewALS(ALS{Factors: v.Int("factors"), Alpha: v.Float("alpha"), Reg: v.Float("reg"),
				Iterations: v.Int("iterations"), CGSteps: v.Int("cg-steps"), Confidence: conf,
				Epsilon: v.Float("epsilon"), Seed: uint64(v.Int("seed")), IncludeTraining: v.Bool("include-train")}), nil
		},
	}
}

// BPRFactory returns the registry entry of [BPR].
func BPRFactory() Factory {
	return Factory{
		Doc: "Bayesian personalised ranking matrix factorisation by SGD over (user, positive, negative) triples (Rendle et al., UAI 2009), deterministic block-parallel epochs.",
		Params: []Param{
			IntParam("factors", BPRDefaultFactors, "number of latent factors").AtLeast(1).AtMost(4096),
			FloatParam("learn-rate", BPRDefaultLearnRate, "SGD step size").Above(0),
			FloatParam("reg", BPRDefaultReg, "L2 regularisation").AtLeast(0),
			IntParam("epochs", BPRDefaultEpochs, "passes of sampled triples, one per training interaction each").AtLeast(1),
			IntParam("strata", BPRDefaultStrata, "user and item blocks per epoch (results depend on it, not on the number of cores)").AtLeast(1),
			IntParam("seed", 0, "seed of the initial factors and the sampling").AtLeast(0),
			BoolParam("include-train", false, "keep the user's own training items in the list"),
		},
		New: func(v Values) (Recommender, error) {
			return NewBPR(BPR{Factors: v.Int("factors"), LearnRate: v.Float("learn-rate"), Reg: v.Float("reg"),
				Epochs: v.Int("epochs"), Strata: v.Int("strata"), Seed: uint64(v.Int("seed")), IncludeTraining: v.Bool("include-train")}), nil
		},
	}
}
