package syncserver

// Tests sign in hundreds of times: argon2id at its real cost would make
// them slow without testing anything more (TestPasswordHashing keeps the
// real parameters).
func init() { argonParams = argon2Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16} }

// RealArgonParams runs fn with the production parameters.
func RealArgonParams(fn func()) {
	saved := argonParams
	argonParams = defaultArgonParams
	defer func() { argonParams = saved }()
	fn()
}

// HashPassword and CheckPassword expose the hashing to the tests.
var (
	HashPassword  = hashPassword
	CheckPassword = checkPassword
)
