import FairshareCore
import CSystemd
