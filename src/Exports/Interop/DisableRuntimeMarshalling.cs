// Every native signature and struct in Miraflow.Exports is blittable: the runtime passes
// exactly the bytes we declare and generates no marshalling stubs (house rule 19; TerraFX
// keeps this attribute in its own file too).
[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
